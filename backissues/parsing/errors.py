"""The one error the importer raises for bad input."""


class BackIssueError(Exception):
    """Bad input, named by file, place in the file (a line or an XML element) and reason."""

    def __init__(self, reason: str, *, source: str = "", location: str = ""):
        self.reason = reason
        self.source = source
        self.location = location
        super().__init__(str(self))

    def __reduce__(self):
        # Crosses process boundaries whole (files are parsed in worker processes).
        return (type(self), (self.reason,), {"source": self.source, "location": self.location})

    def __str__(self) -> str:
        where = ", ".join(part for part in (self.source, self.location) if part)
        return f"{where}: {self.reason}" if where else self.reason

    def located(self, source: str) -> "BackIssueError":
        """The same error, naming the file it came from."""
        return BackIssueError(self.reason, source=source, location=self.location)
