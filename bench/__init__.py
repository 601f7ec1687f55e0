"""Benchmarks of Wushe's event path on this machine: `python -m bench` (see README.md).

Not part of the test suite: they take minutes, and their figures depend on the machine.
"""
