"""An independent client of Onyx's gRPC API: Debian's grpcio, with message classes that protoc generates here from
TEI's tei.proto. Calls Info, Embed, EmbedStream and Tokenize and prints what came back as one JSON object.

usage: tei_grpc_client.py HOST:PORT PROTO_DIR WORK_DIR API_KEY TEXT...
"""
import json
import os
import subprocess
import sys

target, proto_dir, work_dir, api_key = sys.argv[1:5]
texts = sys.argv[5:]

subprocess.run(["protoc", "-I", proto_dir, "--python_out", work_dir, os.path.join(proto_dir, "tei.proto")],
               check=True)
sys.path.insert(0, work_dir)

import grpc  # noqa: E402
import tei_pb2  # noqa: E402

metadata = (("authorization", "Bearer " + api_key),)
channel = grpc.insecure_channel(target)
grpc.channel_ready_future(channel).result(timeout=60)


def unary(path, request_type, response_type):
    return channel.unary_unary(path, request_serializer=request_type.SerializeToString,
                               response_deserializer=response_type.FromString)


info = unary("/tei.v1.Info/Info", tei_pb2.InfoRequest, tei_pb2.InfoResponse)(
    tei_pb2.InfoRequest(), metadata=metadata, timeout=60)
embed = unary("/tei.v1.Embed/Embed", tei_pb2.EmbedRequest, tei_pb2.EmbedResponse)
unary_vectors = [list(embed(tei_pb2.EmbedRequest(inputs=t), metadata=metadata, timeout=120).embeddings)
                 for t in texts]
embed_stream = channel.stream_stream("/tei.v1.Embed/EmbedStream",
                                     request_serializer=tei_pb2.EmbedRequest.SerializeToString,
                                     response_deserializer=tei_pb2.EmbedResponse.FromString)
stream_vectors = [list(r.embeddings) for r in
                  embed_stream(iter([tei_pb2.EmbedRequest(inputs=t) for t in texts]), metadata=metadata,
                               timeout=120)]
tokens = unary("/tei.v1.Tokenize/Tokenize", tei_pb2.EncodeRequest, tei_pb2.EncodeResponse)(
    tei_pb2.EncodeRequest(inputs=texts[0], add_special_tokens=True), metadata=metadata, timeout=60)
try:
    embed(tei_pb2.EmbedRequest(inputs=""), metadata=metadata, timeout=60)
    empty_error = None
except grpc.RpcError as e:
    empty_error = {"code": e.code().name, "details": e.details()}
try:
    embed(tei_pb2.EmbedRequest(inputs="x"), timeout=60)
    no_key_error = None
except grpc.RpcError as e:
    no_key_error = {"code": e.code().name, "details": e.details()}

print(json.dumps({
    "grpcio": grpc.__version__,
    "info": {"model_id": info.model_id, "max_input_length": info.max_input_length,
             "model_type": tei_pb2.ModelType.Name(info.model_type), "version": info.version},
    "unary": unary_vectors,
    "stream": stream_vectors,
    "token_ids": [t.id for t in tokens.tokens],
    "empty_error": empty_error,
    "no_key_error": no_key_error,
}))
