"""The editor's preview (``invoke livereload``): a warm build that serves the last good
pages and shows each build's problems on them. Never part of ``invoke build``/``publish``:
it is no Pelican plugin, and the script it adds to pages is added as they are served."""
