class IdConverter:
    """A positive integer id of at most 18 digits.

    Bounded so that a huge number in a URL is a 404, not an integer overflow
    inside the database driver (a 500 on SQLite).
    """

    regex = "[1-9][0-9]{0,17}"

    def to_python(self, value: str) -> int:
        return int(value)

    def to_url(self, value: int) -> str:
        return str(value)
