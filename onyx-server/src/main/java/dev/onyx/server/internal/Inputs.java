package dev.onyx.server.internal;

import java.util.List;

/** What a request asks to embed, after its JSON was checked: texts, or token ids the client made itself. */
public sealed interface Inputs permits Inputs.Texts, Inputs.TokenIds {
    int size();

    /** Non-empty texts. */
    record Texts(List<String> texts) implements Inputs {
        public Texts {
            texts = List.copyOf(texts);
        }

        @Override
        public int size() {
            return texts.size();
        }
    }

    /** One array of non-negative token ids per input (arrays are not changed after parsing). */
    record TokenIds(List<long[]> ids) implements Inputs {
        public TokenIds {
            ids = List.copyOf(ids);
        }

        @Override
        public int size() {
            return ids.size();
        }
    }
}
