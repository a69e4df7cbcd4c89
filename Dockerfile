# The ghcbox kernel image: Debian 13 (GHC 9.6), a ghcbox binary built on the host with
# `swift build -c release --static-swift-stdlib` (it needs only libc, libstdc++, libzmq, libssl,
# libseccomp and libcap at run time), the runtime package prebuilt for the image's GHC, and
# Haskell libraries from Debian. `ci/image` builds and checks it; the README's operators'
# section has the run lines and what each security option is for.
#
#   swift build -c release --static-swift-stdlib && podman build -t ghcbox .
#   docker run --rm --entrypoint cat ghcbox /usr/local/share/ghcbox/sandbox/container-seccomp.json > ghcbox-seccomp.json
#   docker run --rm --security-opt seccomp=ghcbox-seccomp.json --security-opt systempaths=unconfined \
#       -v "$PWD/kernel.json:/run/ghcbox/connection.json:ro" --network host ghcbox \
#       kernel --connection-file /run/ghcbox/connection.json
ARG BASE=debian:trixie-slim
FROM ${BASE}

# The name the image is run by, for the command line a refused cell prints.
ARG IMAGE=ghcbox

# Libraries beyond GHC's own (base, containers, text, bytestring, mtl, transformers, array,
# directory, process, time, ...), chosen for notebooks: data structures, randomness, JSON,
# property tests, parsing and concurrency; and the libraries whose values show as charts,
# drawings, HTML and images (Chart, diagrams, blaze-html, lucid, JuicyPixels), with a font
# and fontconfig's cache for the text in charts.
RUN apt-get update \
    && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends \
        ghc libzmq5 libseccomp2 libcap2 libssl3t64 \
        libghc-vector-dev libghc-unordered-containers-dev libghc-random-dev libghc-split-dev \
        libghc-aeson-dev libghc-quickcheck2-dev libghc-megaparsec-dev libghc-async-dev libghc-microlens-dev \
        libghc-chart-dev libghc-chart-cairo-dev libghc-diagrams-svg-dev libghc-blaze-html-dev \
        libghc-lucid-dev libghc-juicypixels-dev fontconfig fonts-dejavu-core \
    && apt-get clean && rm -rf /var/lib/apt/lists/*

COPY .build/release/ghcbox /usr/local/bin/ghcbox
COPY sandbox /usr/local/share/ghcbox/sandbox
COPY kernelspec /usr/local/share/ghcbox/kernelspec
# The kernelspec for a Jupyter server in this image, and the runtime package in
# /var/cache/ghcbox, so no kernel start has to build it.
RUN ghcbox install --prefix /usr/local \
    && useradd --uid 1000 --user-group --create-home --shell /usr/sbin/nologin ghcbox

ENV GHCBOX_IMAGE=${IMAGE}
USER 1000:1000
WORKDIR /home/ghcbox
# Budgets come from GHCBOX_* variables (docker run -e GHCBOX_MEMORY_MB=1024 ...); without a
# connection file, so do the ports and key (GHCBOX_SHELL_PORT, ..., GHCBOX_KEY).
ENTRYPOINT ["ghcbox"]
CMD ["kernel"]
