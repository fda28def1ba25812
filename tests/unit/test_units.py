from __future__ import annotations

import pytest

from tradelane.domain.units import Dimensions, chargeable_weight_kg, round_up_to_increment


def test_volumetric_weight_wins_for_a_light_bulky_box() -> None:
    box = Dimensions(length_cm=50, width_cm=40, height_cm=30)  # 60,000 cm³ / 5000 = 12 kg
    assert chargeable_weight_kg(2.0, box, divisor_cm3_per_kg=5000, increment_kg=0.5) == 12.0


def test_actual_weight_wins_for_a_dense_box_and_rounds_up_to_the_increment() -> None:
    box = Dimensions(length_cm=10, width_cm=10, height_cm=10)
    assert chargeable_weight_kg(1.21, box, divisor_cm3_per_kg=5000, increment_kg=0.5) == 1.5


def test_divisor_zero_bills_actual_weight_only() -> None:
    box = Dimensions(length_cm=60, width_cm=60, height_cm=60)
    assert chargeable_weight_kg(0.4, box, divisor_cm3_per_kg=0, increment_kg=0.01) == 0.4


@pytest.mark.parametrize(
    ("weight", "step", "expected"),
    [(1.0, 0.5, 1.0), (1.0001, 0.5, 1.5), (0.3, 0.1, 0.3), (2.2, 0, 2.2)],
)
def test_round_up_to_increment(weight: float, step: float, expected: float) -> None:
    assert round_up_to_increment(weight, step) == expected


def test_length_plus_girth_uses_the_longest_side_as_length() -> None:
    box = Dimensions(length_cm=20, width_cm=100, height_cm=30)
    assert box.length_plus_girth_cm == 100 + 2 * (30 + 20)
    assert box.sum_of_sides_cm == 150
