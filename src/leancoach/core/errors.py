class Conflict(Exception):
    """The request is understood but clashes with the current state (HTTP 409).

    For example: signing an agreement twice, or editing a version already signed.
    """
