#!/usr/bin/env bash
# Builds the test notebook image without any registry (machine.md §9): a Debian bookworm rootfs made by
# mmdebstrap with Debian's Jupyter Server, IPython kernel and git, imported into Podman. The tag carries
# a hash of this script, so an unchanged image is reused (a second test run does not rebuild it).
# Prints the image name on stdout.
set -euo pipefail

# SETUPTOOLS_USE_DISTUTILS=stdlib: the classic notebook (for nbclassic) makes Jupyter Server's metrics
# import distutils, which setuptools' shim answers by importing setuptools and pkg_resources, about
# 0.1 CPU-s of each server's start here; Python 3.11's own distutils serves the same imports.
# nbclient runs notebooks for grading (src/grading/run/grade-driver.py); R and IRkernel grade R notebooks.
packages=git,ca-certificates,python3-jupyter-server,python3-jupyterlab-server,python3-nbclassic,python3-ipykernel,jupyter-core,python3-nbclient,r-base-core,r-cran-irkernel
recipe_hash=$(sha256sum "$0" | cut -c1-12)
image="localhost/labgate-notebook:test-$recipe_hash"

if podman image exists "$image"; then
  echo "$image"
  exit 0
fi

work=$(mktemp -d /var/tmp/labgate-image-XXXXXX)
trap 'rm -rf "$work"' EXIT
echo "Building $image (mmdebstrap, about two minutes; cached afterwards)…" >&2
mmdebstrap --quiet --variant=apt --include="$packages" \
  --customize-hook='chroot "$1" useradd --create-home --uid 1000 --shell /bin/bash learner' \
  bookworm "$work/rootfs.tar" >&2
podman import --quiet \
  --change 'ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin' \
  --change 'ENV PYDEVD_DISABLE_FILE_VALIDATION=1' \
  --change 'ENV SETUPTOOLS_USE_DISTUTILS=stdlib' \
  --change 'USER learner' \
  --change 'WORKDIR /home/learner' \
  --change 'CMD ["/bin/bash"]' \
  "$work/rootfs.tar" "$image" >&2
echo "$image"
