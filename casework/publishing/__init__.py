"""What the organization publishes about both channels: the ITA statistics (``stats``), the two
handling manuals (``manuals``) and the open-data files (``opendata``).

Published figures come from ``casework.cases.figures`` (grouped aggregates). In the corruption
channel's breakdowns a small count is shown only as "< k", and nothing a tipster wrote is ever
published.
"""
