"""Time: the one clock, Buddhist Era dates and the fiscal year, and working days."""
