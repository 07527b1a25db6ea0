"""A real S3-compatible object store on 127.0.0.1 (moto's server), for media storage tests."""

import subprocess
import sys
from contextlib import contextmanager
from pathlib import Path

import boto3

from tests.servers import free_port, wait_for_port

MOTO_SERVER = Path(sys.executable).with_name("moto_server")
CREDENTIALS = {"AWS_ACCESS_KEY_ID": "testing", "AWS_SECRET_ACCESS_KEY": "testing", "AWS_DEFAULT_REGION": "us-east-1"}


@contextmanager
def s3_bucket(name="blog-media"):
    """Start an S3 server with one bucket; yields the environment that points the site's media at it."""
    port = free_port()
    process = subprocess.Popen(
        [str(MOTO_SERVER), "-H", "127.0.0.1", "-p", str(port)], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    endpoint = f"http://127.0.0.1:{port}"
    try:
        wait_for_port(port, process)
        boto3.client(
            "s3",
            endpoint_url=endpoint,
            aws_access_key_id="testing",
            aws_secret_access_key="testing",
            region_name="us-east-1",
        ).create_bucket(Bucket=name)
        yield {**CREDENTIALS, "AWS_STORAGE_BUCKET_NAME": name, "AWS_S3_ENDPOINT_URL": endpoint}
    finally:
        process.terminate()
        process.wait(timeout=10)
