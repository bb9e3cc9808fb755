"""The write path: validated input, the checks every fact passes, and the recorded writes."""
