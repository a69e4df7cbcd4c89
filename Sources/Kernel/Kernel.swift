// Kernel server.
