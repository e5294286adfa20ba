package dev.onyx.embed.internal;

import java.util.Map;

/**
 * Everything that defines a {@link BertWordPiece}: the normalizer's switches, the vocabulary, the WordPiece settings
 * and the {@code [CLS] A [SEP]} template; what {@link WordPieceJson} reads and {@link WordPieceCache} stores. The maps
 * are the caller's, not copied (they hold ~30,000 entries); nobody changes them after building a spec.
 *
 * @param prefix continuing_subword_prefix, e.g. {@code ##}
 * @param specials special added tokens matched verbatim in the raw text, content to id
 */
record WordPieceSpec(
        boolean cleanText,
        boolean chineseChars,
        boolean stripAccents,
        boolean lowercase,
        Map<String, Integer> vocab,
        String prefix,
        String unkToken,
        int maxInputChars,
        String clsToken,
        int clsId,
        String sepToken,
        int sepId,
        Map<String, Integer> specials) {}
