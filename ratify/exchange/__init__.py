"""Data in and out whole: fixture and CSV loading, and export."""
