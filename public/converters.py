"""URL parts of dates. Loose forms (an unpadded month) are matched so they can be redirected."""


class YearConverter:
    regex = "[0-9]{4}"

    def to_python(self, value: str) -> int:
        return int(value)

    def to_url(self, value: int | str) -> str:
        return f"{int(value):04d}"


class TwoDigitConverter:
    regex = "[0-9]{1,2}"

    def to_python(self, value: str) -> str:
        # Kept as text: the view needs to know whether it was written zero-padded.
        return value

    def to_url(self, value: int | str) -> str:
        return f"{int(value):02d}"


class UnicodeSlugConverter:
    """Tag slugs keep their letters ("außenpolitik", "περιεχόμενο"), as taggit makes them."""

    regex = r"[-\w]+"

    def to_python(self, value: str) -> str:
        return value

    def to_url(self, value: str) -> str:
        return value
