"""What the briefings app tells apps above it, which it may not import."""

from django.dispatch import Signal

# Sent with `briefing` once a briefing's bullets are saved through a form, so that readings of
# their text (the sources app's citations) are brought up to date.
bullets_saved = Signal()
