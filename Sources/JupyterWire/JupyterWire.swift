// The Jupyter wire protocol: see ConnectionInfo, Message, WireCodec, ZMQ.
