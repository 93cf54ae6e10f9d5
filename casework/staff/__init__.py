"""Staff: roles, accounts, passwords, two-step verification and sign-in guards."""
