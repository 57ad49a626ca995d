"""Benchmarks of the support desk (``make bench``, ``make bench-bot``); the figures are in ``docs/performance.md``.

``bench.rig`` holds what the ticketing benchmarks share; ``bench.bot_floor`` runs in the Rasa environment, so this
package itself imports nothing of either environment.
"""
