# Server settings for the ghcbox single-user image, read by `jupyter lab` and by
# `jupyterhub-singleuser` (an extension of the same ServerApp) from /etc/jupyter.
#
# The container has to be started with a seccomp profile that allows namespaces and mount, and
# with an unmasked /proc, so that ghcbox can build its jail for GHCi. Code that runs outside that
# jail runs with those relaxed container settings, so the server offers nothing that runs code
# outside it: only the ghcbox kernel, and no terminals.
c = get_config()  # noqa: F821 (traitlets' config loader defines it)

# ipykernel comes with JupyterLab (a hard dependency), and would add a Python kernel that runs
# outside the jail. ensure_native_kernel stops jupyter_client adding it from the ipykernel
# module; the Dockerfile also removes its kernelspec folder. allowed_kernelspecs refuses any
# other kernelspec, including one a user writes under ~/.local/share/jupyter/kernels. Operators
# who add kernels to the image name them here too.
c.KernelSpecManager.ensure_native_kernel = False
c.KernelSpecManager.allowed_kernelspecs = {"ghcbox"}
# The default would stay python3, which no longer exists: the REST API would name it as the
# default kernelspec, and a kernel started without a name would fail.
c.MultiKernelManager.default_kernel_name = "ghcbox"

# A terminal would be a shell in the relaxed container, outside the jail.
c.ServerApp.terminals_enabled = False
