"""What every case has, whichever channel it came through: the state machine, status changes,
timeline, numbering, deadlines, identity, attachments, text input, categories and input errors."""
