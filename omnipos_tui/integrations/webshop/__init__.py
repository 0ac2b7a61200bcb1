"""Web shop adapters behind the ``WebShop`` port (``core/webshop/ports.py``)."""
