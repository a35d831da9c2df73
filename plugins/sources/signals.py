"""Hooks into reading, for plugins that work on the Markdown source."""

from blinker import signal

# Sent for every Markdown file after its front-matter parsed and before the body
# is converted: ``source_read.send(doc, metadata=..., build=...)``.
# Receivers may set ``doc.markdown`` to the text to convert instead of ``doc.body``
# (which stays as written, so ``doc.position`` still holds) and add metadata; they
# report problems to ``build.report`` and never raise.
source_read = signal("sources.source_read")
