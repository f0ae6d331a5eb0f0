"""One error hierarchy; the CLI catches DraftgenError in one place and maps it to an exit code."""

from __future__ import annotations


class DraftgenError(Exception):
    """Base of every error draftgen reports to a user. ``exit_code`` is what the CLI returns."""

    exit_code = 1

    def __init__(self, message: str | None = None, problems: list[str] | None = None):
        self.problems = list(problems or [])
        if message is None:
            message = "\n".join(self.problems)
        super().__init__(message)


class InputError(DraftgenError):
    """Bad input from the user: a brief, an org config, a bank file, an option. Exit code 2."""

    exit_code = 2


class RefusedError(DraftgenError):
    """A request draftgen refuses to carry out, e.g. replacing a file without --force. Exit code 2."""

    exit_code = 2


class BankError(InputError):
    """A phrase-bank file is malformed."""
