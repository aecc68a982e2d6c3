"""The bundled offline sample sites and the loopback server that serves them."""
