"""Model version strings, stored with every fit and forecast (SEIR_MODEL.md 6.6)."""

MODEL_YYG_2020 = "yyg-2020.1"
"""Faithful 2020 YYG model: lockdown, reopening, post-reopening, fall wave (section 1)."""
MODEL_RT = "seircast-rt.1"
"""Post-2020 model: the same renewal core with a free recent R and trend (docs/MODEL.md)."""
