"""One linear program through HiGHS (highspy), warm-started from the last basis it solved.

minimise cost · x   subject to   row_lower ≤ A x ≤ row_upper,  col_lower ≤ x ≤ col_upper
"""

from __future__ import annotations

from dataclasses import dataclass, field

import highspy
import numpy as np
import scipy.sparse as sp

from tradelane.optimization.allocation_problem import FloatArray

__all__ = ["LpSolution", "WarmSolver"]


@dataclass(frozen=True)
class LpSolution:
    optimal: bool
    infeasible: bool
    status: str
    x: FloatArray
    objective: float


@dataclass
class WarmSolver:
    """Solves a sequence of programs of one shape; each starts from the previous basis."""

    _highs: highspy.Highs = field(default_factory=highspy.Highs)
    _shape: tuple[int, int] | None = None

    def __post_init__(self) -> None:
        self._highs.setOptionValue("output_flag", False)

    def solve(
        self,
        cost: FloatArray,
        matrix: sp.csc_matrix,
        rows: tuple[FloatArray, FloatArray],
        cols: tuple[FloatArray, FloatArray],
    ) -> LpSolution:
        lp = highspy.HighsLp()
        lp.num_col_, lp.num_row_ = matrix.shape[1], matrix.shape[0]
        lp.col_cost_, (lp.col_lower_, lp.col_upper_) = cost, cols
        lp.row_lower_, lp.row_upper_ = rows
        lp.a_matrix_.format_ = highspy.MatrixFormat.kColwise
        lp.a_matrix_.start_ = matrix.indptr
        lp.a_matrix_.index_ = matrix.indices
        lp.a_matrix_.value_ = matrix.data
        basis = self._highs.getBasis() if self._shape == matrix.shape else None
        self._highs.passModel(lp)
        if basis is not None and basis.valid:
            self._highs.setBasis(basis)
        self._highs.run()
        status = self._highs.getModelStatus()
        self._shape = matrix.shape if status == highspy.HighsModelStatus.kOptimal else None
        optimal = status == highspy.HighsModelStatus.kOptimal
        x = np.asarray(self._highs.getSolution().col_value) if optimal else np.zeros(0)
        return LpSolution(
            optimal=optimal,
            infeasible=status == highspy.HighsModelStatus.kInfeasible,
            status=self._highs.modelStatusToString(status),
            x=x,
            objective=float(self._highs.getInfo().objective_function_value) if optimal else 0.0,
        )
