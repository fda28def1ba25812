"""Forecasting maths (pure): demand per SKU x market, inventory placement before peaks."""
