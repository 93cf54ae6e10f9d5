"""The general-complaint channel (ร้องเรียน/ร้องทุกข์): intake, offline intake, follow-up,
officers' workflow, who sees what, queries, written notices, exports, reports and the sweep."""
