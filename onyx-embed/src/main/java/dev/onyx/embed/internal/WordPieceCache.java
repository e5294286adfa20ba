package dev.onyx.embed.internal;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.zip.CRC32;
import java.util.zip.CRC32C;

/**
 * A binary copy of a {@link WordPieceSpec} in Onyx's cache, keyed by checksums of the tokenizer.json: on a cold JVM,
 * decoding ~30,000 vocabulary entries from JSON costs ~300 ms of CPU that ONNX Runtime's session build, running at the
 * same time, needs on a 2-core machine; the binary copy reads in a fraction of that. A missing, stale or unreadable
 * copy is rebuilt from the JSON; failing to write one is not an error. Stateless; concurrent writers of one copy each
 * write a temporary file and move it into place atomically, so it is safe across threads and processes.
 */
final class WordPieceCache {
    private static final byte[] MAGIC = "onyx-wordpiece-1".getBytes(StandardCharsets.US_ASCII);

    private WordPieceCache() {}

    /** The spec of {@code tokenizerJson} from its copy in {@code cacheDirectory}, or parsed (and copied there). */
    static Optional<WordPieceSpec> cached(byte[] tokenizerJson, Path cacheDirectory) {
        Path file = cacheDirectory.resolve(key(tokenizerJson) + ".wordpiece");
        if (Files.isRegularFile(file)) {
            try {
                return Optional.of(read(Files.readAllBytes(file)));
            } catch (IOException | RuntimeException e) {
                // stale or damaged: rebuild below
            }
        }
        Optional<WordPieceSpec> parsed = WordPieceJson.read(tokenizerJson);
        parsed.ifPresent(spec -> writeQuietly(spec, file));
        return parsed;
    }

    /**
     * The copy's name: size, CRC-32C and CRC-32 of the JSON (64 bits of checksum; SHA-256's provider alone costs ~50 ms
     * on a cold JVM, more than reading the copy).
     */
    private static String key(byte[] bytes) {
        CRC32C crc32c = new CRC32C();
        crc32c.update(bytes);
        CRC32 crc32 = new CRC32();
        crc32.update(bytes);
        return String.format("%d-%08x-%08x", bytes.length, crc32c.getValue(), crc32.getValue());
    }

    private static void writeQuietly(WordPieceSpec spec, Path file) {
        try {
            Files.createDirectories(file.getParent());
            ByteArrayOutputStream bytes = new ByteArrayOutputStream(512 * 1024);
            try (DataOutputStream out = new DataOutputStream(bytes)) {
                out.write(MAGIC);
                for (boolean flag :
                        new boolean[] {spec.cleanText(), spec.chineseChars(), spec.stripAccents(), spec.lowercase()}) {
                    out.writeBoolean(flag);
                }
                out.writeUTF(spec.prefix());
                out.writeUTF(spec.unkToken());
                out.writeInt(spec.maxInputChars());
                out.writeUTF(spec.clsToken());
                out.writeInt(spec.clsId());
                out.writeUTF(spec.sepToken());
                out.writeInt(spec.sepId());
                out.writeInt(spec.specials().size());
                for (Map.Entry<String, Integer> e : BertWordPiece.longestFirst(spec.specials())) {
                    out.writeUTF(e.getKey());
                    out.writeInt(e.getValue());
                }
                out.writeInt(spec.vocab().size());
                for (Map.Entry<String, Integer> e : spec.vocab().entrySet()) {
                    out.writeUTF(e.getKey());
                    out.writeInt(e.getValue());
                }
                out.write(MAGIC); // a truncated file fails the trailing check
            }
            Path temp =
                    Files.createTempFile(file.getParent(), file.getFileName().toString(), ".part");
            try {
                Files.write(temp, bytes.toByteArray());
                Files.move(temp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } finally {
                Files.deleteIfExists(temp);
            }
        } catch (IOException | RuntimeException e) {
            // a read-only or full cache only costs the next open the JSON parse
        }
    }

    private static WordPieceSpec read(byte[] bytes) throws IOException {
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(bytes))) {
            checkMagic(in);
            boolean[] flags = {in.readBoolean(), in.readBoolean(), in.readBoolean(), in.readBoolean()};
            String prefix = in.readUTF();
            String unk = in.readUTF();
            int maxChars = in.readInt();
            String cls = in.readUTF();
            int clsId = in.readInt();
            String sep = in.readUTF();
            int sepId = in.readInt();
            Map<String, Integer> specials = new HashMap<>();
            for (int i = 0, n = in.readInt(); i < n; i++) specials.put(in.readUTF(), in.readInt());
            int n = in.readInt();
            if (n <= 0 || n > 10_000_000) throw new IOException("bad vocabulary size " + n);
            Map<String, Integer> vocab = new HashMap<>(n * 4 / 3 + 1);
            for (int i = 0; i < n; i++) vocab.put(in.readUTF(), in.readInt());
            checkMagic(in);
            if (!vocab.containsKey(unk) || prefix.isEmpty()) throw new IOException("inconsistent copy");
            return new WordPieceSpec(
                    flags[0], flags[1], flags[2], flags[3], vocab, prefix, unk, maxChars, cls, clsId, sep, sepId,
                    specials);
        }
    }

    private static void checkMagic(DataInputStream in) throws IOException {
        byte[] magic = new byte[MAGIC.length];
        in.readFully(magic);
        if (!Arrays.equals(magic, MAGIC)) throw new IOException("not an Onyx WordPiece copy");
    }
}
