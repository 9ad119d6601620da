"""Events of an engagement that apps above it react to (engagements may not import them).

``agreement_in_force`` is sent inside the signing transaction when the last required
signature of a version lands, with ``engagement``, ``agreement`` and ``request`` (or None).
A receiver that raises rolls the signature back, so receivers must only fail on real errors.
"""

from __future__ import annotations

from django.dispatch import Signal

agreement_in_force = Signal()
