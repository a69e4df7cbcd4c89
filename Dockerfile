# The ghcbox kernel image: Debian 13 (GHC 9.6) with a ghcbox binary built on the host
# by `ci/demo` (or `swift build -c release --static-swift-stdlib`), which needs only
# libc, libstdc++, libzmq, libseccomp and libcap at run time.
#
#   podman build -t ghcbox .
#   docker run --rm ghcbox doctor
#   docker run --rm --security-opt seccomp=unconfined --security-opt apparmor=unconfined \
#       --security-opt systempaths=unconfined -v "$PWD:/conn" ghcbox kernel --connection-file /conn/kernel.json
#
# The jail needs user namespaces and an unmasked /proc inside the container: Docker's
# default seccomp profile and /proc masking forbid both, hence the options above.
# Without them the kernel still starts, and refuses every cell, saying why.
FROM debian:trixie-slim

RUN apt-get update \
    && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends \
        ghc libzmq5 libseccomp2 libcap2 ca-certificates \
    && rm -rf /var/lib/apt/lists/*

COPY .build/release/ghcbox /usr/local/bin/ghcbox
COPY sandbox /usr/local/share/ghcbox/sandbox
COPY kernelspec /usr/local/share/ghcbox/kernelspec
# Also builds the runtime package into /var/cache/ghcbox, so no kernel start has to.
RUN ghcbox install --prefix /usr/local

# Budgets and telemetry come from the environment: docker run -e GHCBOX_MEMORY_MB=1024 ...
ENTRYPOINT ["ghcbox"]
CMD ["doctor"]
