"""HTTP/SMTP stubs on 127.0.0.1 that speak the real protocols; used by the tests and `bench/`."""
