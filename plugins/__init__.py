"""Our own Pelican plugins, one package each."""
