// The example ran and retrieved the expected sentence.
def log = new File(basedir, 'build.log').text
assert log.contains('model: all-minilm-l6-v2, 384 dimensions')
assert log.contains('best match: The transcontinental railroad was completed in 1869.')
