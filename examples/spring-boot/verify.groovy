// The repackaged application started, got Onyx's model injected and retrieved the expected sentence.
def log = new File(basedir, 'build.log').text
assert log.contains('embedding model: dev.onyx.springai.OnyxEmbeddingModel, 384 dimensions')
assert log.contains('best match: The Louisiana territory was purchased from France.')
