package dev.backprop.io;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class JsonReaderTest {

    @Test
    void readsWhatPythonsJsonModuleWrites() {
        // json.dumps({"params": {"a": 1.5, "b": -2e-05}, "v": [1, [2.5, nan]], "s": "\u00e9\n", "ok": True, "n": None})
        Object v = JsonReader.parse("{\"params\": {\"a\": 1.5, \"b\": -2e-05}, \"v\": [1, [2.5, NaN, -Infinity]], "
                + "\"s\": \"\\u00e9\\n\", \"ok\": true, \"n\": null}", "t.json");
        assertThat(v).isInstanceOf(Map.class);
        @SuppressWarnings("unchecked")
        Map<String, Object> m = (Map<String, Object>) v;
        assertThat(m.keySet()).containsExactly("params", "v", "s", "ok", "n");
        assertThat(m.get("params")).isEqualTo(Map.of("a", 1.5, "b", -2e-05));
        List<?> list = (List<?>) m.get("v");
        @SuppressWarnings("unchecked")
        List<Object> inner = (List<Object>) list.get(1);
        assertThat(list.get(0)).isEqualTo(1.0);
        assertThat(inner).containsExactly(2.5, Double.NaN, Double.NEGATIVE_INFINITY);
        assertThat(m.get("s")).isEqualTo("é\n");
        assertThat(m.get("ok")).isEqualTo(true);
        assertThat(m.containsKey("n")).isTrue();
        assertThat(m.get("n")).isNull();
    }

    @Test
    void badTextNamesTheOriginAndTheCharacter() {
        assertThatThrownBy(() -> JsonReader.parse("{\"a\": ", "p.json"))
                .isInstanceOf(DataException.class).hasMessage("p.json: not valid JSON at character 7: unexpected end");
        assertThatThrownBy(() -> JsonReader.parse("{\"a\": 1,", "p.json"))
                .isInstanceOf(DataException.class).hasMessage("p.json: not valid JSON at character 9: expected a key in quotes");
        assertThatThrownBy(() -> JsonReader.parse("{\"a\": 1, \"a\": 2}", "p.json"))
                .isInstanceOf(DataException.class).hasMessageContaining("key 'a' appears twice");
        assertThatThrownBy(() -> JsonReader.parse("[1] x", "p.json"))
                .isInstanceOf(DataException.class).hasMessageContaining("after the JSON value");
        assertThatThrownBy(() -> JsonReader.parse("01", "p.json")).isInstanceOf(DataException.class);
    }
}
