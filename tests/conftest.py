"""Shared test settings: quiet Rasa/TensorFlow (pytest's `pythonpath` in pyproject puts the root on the path)."""

import os

os.environ.setdefault("SQLALCHEMY_SILENCE_UBER_WARNING", "1")
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
