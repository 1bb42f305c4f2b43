"""Innovative models and good practices (mô hình mới, cách làm hay)."""
