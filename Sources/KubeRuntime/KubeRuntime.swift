/// The KubeRuntime module. See README.md for the architecture.
public enum KubeRuntimeModule {}
