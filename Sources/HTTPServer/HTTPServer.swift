/// The HTTPServer module. See README.md for the architecture.
public enum HTTPServerModule {}
