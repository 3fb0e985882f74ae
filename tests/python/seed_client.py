#!/usr/bin/python3
"""A client written for the original Python service, run against meterscoped.

Generates its stubs at run time with grpc_python_plugin from the repository's
proto files, exactly as the seed system's clients were built, then:

  seed_client.py ADDR records      prints every GetAllRecords record: "<RFC 3339 time> <float>"
  seed_client.py ADDR services     prints the services listed by server reflection
"""
import os
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
PROTO = os.path.join(HERE, "..", "..", "proto")


def generate(out, include, *files):
    subprocess.run(
        ["protoc", "-I", include, "-I", "/usr/include", "--python_out=" + out, "--grpc_out=" + out,
         "--plugin=protoc-gen-grpc=/usr/bin/grpc_python_plugin", *files],
        check=True)


def main():
    address, command = sys.argv[1], sys.argv[2]
    out = tempfile.mkdtemp(prefix="seed-client-")
    generate(out, PROTO, "meterusage/meterusage.proto")
    generate(out, HERE, "reflection.proto")
    sys.path.insert(0, out)
    import grpc  # noqa: E402

    channel = grpc.insecure_channel(address)
    if command == "records":
        from meterusage import meterusage_pb2, meterusage_pb2_grpc
        stub = meterusage_pb2_grpc.MeterUsageStub(channel)
        request = meterusage_pb2.AllRecordsRequest(client_id=1, request_data="all")
        for record in stub.GetAllRecords(request, timeout=60):
            print(record.time.ToJsonString(), repr(record.meterusage))
    elif command == "services":
        import reflection_pb2
        import reflection_pb2_grpc
        stub = reflection_pb2_grpc.ServerReflectionStub(channel)
        requests = iter([reflection_pb2.ServerReflectionRequest(list_services="")])
        for response in stub.ServerReflectionInfo(requests, timeout=10):
            for service in response.list_services_response.service:
                print(service.name)
    else:
        sys.exit("unknown command " + command)


if __name__ == "__main__":
    main()
