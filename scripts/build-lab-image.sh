#!/usr/bin/env bash
# Builds the test notebook image that serves a real JupyterLab 4.6.3 frontend with labgate's extension:
# the base image of build-notebook-image.sh (Debian jupyter-server + jupyterlab-server), plus the
# frontend built from npm in images/test-lab/ and the prebuilt extension from jupyter-extension/.
# The tag carries a hash of every input, so an unchanged tree reuses the image without running npm.
# Progress goes to stderr; stdout gets only the image name.
set -euo pipefail

repo=$(cd "$(dirname "$0")/.." && pwd)
extension="$repo/jupyter-extension"
frontend="$repo/images/test-lab"

base_image=$(bash "$repo/scripts/build-notebook-image.sh")

# Sources only: build outputs and node_modules are derived from these and the lockfiles.
hash_inputs() {
  (
    cd "$repo"
    find scripts/build-lab-image.sh \
      jupyter-extension/package.json jupyter-extension/package-lock.json jupyter-extension/tsconfig.json \
      jupyter-extension/src jupyter-extension/style \
      images/test-lab/package.json images/test-lab/package-lock.json images/test-lab/build.mjs \
      images/test-lab/Containerfile images/test-lab/src images/test-lab/templates images/test-lab/python \
      images/test-lab/config \
      -type f -print0 | LC_ALL=C sort -z | xargs -0 sha256sum
    echo "$base_image"
  ) | sha256sum | cut -c1-12
}
image="localhost/labgate-lab:test-$(hash_inputs)"

if podman image exists "$image"; then
  echo "$image"
  exit 0
fi

# Test suites may start this script in parallel; one build is enough.
exec 9>/var/tmp/labgate-lab-image.lock
flock 9
if podman image exists "$image"; then
  echo "$image"
  exit 0
fi

started=$SECONDS
echo "Building $image (npm ci + builds + podman build, about two minutes; cached afterwards)…" >&2
echo "• labgate-jupyter extension" >&2
(cd "$extension" && npm ci --no-audit --no-fund && npm run build) >&2
echo "• JupyterLab frontend" >&2
(cd "$frontend" && npm ci --no-audit --no-fund && npm run build) >&2

context=$(mktemp -d /var/tmp/labgate-lab-image-XXXXXX)
trap 'rm -rf "$context"' EXIT
app_dir="$context/rootfs/usr/local/share/labgate-test-lab"
mkdir -p "$app_dir" "$context/rootfs/usr/local/share/jupyter/labextensions" \
  "$context/rootfs/usr/local/lib/python3.11/dist-packages" "$context/rootfs/etc/jupyter/jupyter_server_config.d"
cp -r "$frontend/dist/static" "$frontend/dist/schemas" "$frontend/dist/themes" "$frontend/templates" "$app_dir/"
cp -r "$extension/labextension" "$context/rootfs/usr/local/share/jupyter/labextensions/labgate-jupyter"
cp "$frontend/python/labgate_test_lab.py" "$context/rootfs/usr/local/lib/python3.11/dist-packages/"
cp "$frontend/config/labgate-test-lab.json" "$context/rootfs/etc/jupyter/jupyter_server_config.d/"
cp "$frontend/config/jupyter_server_config.json" "$context/rootfs/etc/jupyter/"
cp "$frontend/Containerfile" "$context/"
chmod -R a+rX,go-w "$context/rootfs"

podman build --quiet --pull=never --build-arg "BASE_IMAGE=$base_image" \
  --label "org.labgate.base-image=$base_image" -t "$image" -f "$context/Containerfile" "$context" >&2
echo "Built $image in $((SECONDS - started)) s." >&2
echo "$image"
