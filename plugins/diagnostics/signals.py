"""The collect phase: checks connect here and add to the report before anything is written."""

from blinker import signal

# Sent once per build, after every generator has read its content and before any
# page is written: ``collect.send(generators, build=...)``.
collect = signal("diagnostics.collect")
