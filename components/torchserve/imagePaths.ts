// Directories of the TorchServe image a model-store volume must not be mounted on: a volume hides
// whatever the image has at and below its mount point. Sources: pytorch/serve docker/Dockerfile
// (62c4d6a1, production-image stage: Ubuntu base, venv in /home/venv, user model-server with home
// /home/model-server and TEMP=/home/model-server/tmp, entrypoint in /usr/local/bin) and the
// Filesystem Hierarchy Standard for the base system's directories.

/**
 * Trees the image (or the kernel) populates: a mount at, inside or above one hides programs,
 * libraries, certificates or the Python environment TorchServe runs from.
 */
export const imageSystemTrees = [
    "/bin",
    "/boot",
    "/dev",
    "/etc",
    "/lib",
    "/lib32",
    "/lib64",
    "/libx32",
    "/proc",
    "/root",
    "/run",
    "/sbin",
    "/sys",
    "/usr",
    "/home/venv",
    "/home/model-server/tmp",
] as const;

/**
 * Directories with contents of their own where a subdirectory is a fine mount point (the default
 * model store is /home/model-server/shared/) but the directory itself, or one above it, is not.
 */
export const imagePopulatedDirs = ["/home/model-server", "/opt", "/tmp", "/var"] as const;
