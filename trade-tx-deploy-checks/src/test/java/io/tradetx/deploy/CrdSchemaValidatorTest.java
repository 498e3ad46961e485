package io.tradetx.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.Yaml;

/** The rules of {@link CrdSchemaValidator}, one small schema each. */
class CrdSchemaValidatorTest {

    private static List<String> check(String schemaYaml, String valueYaml) {
        Map<String, Object> schema = new Yaml().load(schemaYaml);
        return CrdSchemaValidator.validate(new Yaml().load(valueYaml), schema, "");
    }

    @Test
    void anObjectSchemaWithoutAdditionalPropertiesIsClosed() {
        assertThat(check("{type: object, properties: {a: {type: string}}}", "{a: x, b: y}"))
                .containsExactly("b: unknown field");
        assertThat(check("{type: object}", "{a: x}")).containsExactly("a: unknown field");
    }

    @Test
    void preserveUnknownFieldsAndAdditionalPropertiesOpenAnObject() {
        assertThat(check("{type: object, x-kubernetes-preserve-unknown-fields: true}", "{a: {b: 1}}")).isEmpty();
        assertThat(check("{type: object, additionalProperties: true}", "{a: 1}")).isEmpty();
        assertThat(check("{type: object, additionalProperties: {type: string}}", "{a: x, b: 2}"))
                .containsExactly("b: expected string, got integer 2");
    }

    @Test
    void typesAreNotCoerced() {
        assertThat(check("{type: integer}", "'5'")).containsExactly(": expected integer, got string \"5\"");
        assertThat(check("{type: integer}", "5.5")).containsExactly(": expected integer, got number 5.5");
        assertThat(check("{type: string}", "true")).containsExactly(": expected string, got boolean true");
        assertThat(check("{type: number}", "5")).isEmpty();
    }

    @Test
    void intOrStringAcceptsBothAndChecksThePatternOfAString() {
        String schema = "{x-kubernetes-int-or-string: true, pattern: '^[0-9]+%?$'}";
        assertThat(check(schema, "5")).isEmpty();
        assertThat(check(schema, "'25%'")).isEmpty();
        assertThat(check(schema, "'x'")).containsExactly(": \"x\" does not match ^[0-9]+%?$");
        assertThat(check(schema, "[1]")).containsExactly(": expected integer or string, got array");
    }

    @Test
    void requiredEnumNullableAndBoundsAreChecked() {
        String schema = """
                type: object
                required: [name]
                properties:
                  name: {type: string, minLength: 1}
                  mode: {type: string, enum: [Min, Max]}
                  count: {type: integer, format: int32, minimum: 0}
                  note: {type: string, nullable: true}
                  items: {type: array, minItems: 1, items: {type: integer}}
                """;
        assertThat(check(schema, "{name: a, note: null, items: [1]}")).isEmpty();
        assertThat(check(schema, "{mode: Avg, count: -1, items: []}")).containsExactly(
                "name: required field is missing",
                "mode: string \"Avg\" is not one of [Min, Max]",
                "count: -1 is less than the minimum 0",
                "items: has 0 items, at least 1 required");
        assertThat(check(schema, "{name: '', count: 3000000000, mode: null}")).containsExactly(
                "name: has 0 characters, at least 1 required",
                "count: 3000000000 does not fit int32",
                "mode: must not be null");
    }

    @Test
    void pathsNameNestedFieldsAndListIndexes() {
        String schema = "{type: object, properties: {list: {type: array, items: {type: object, properties: {v: {type: string}}}}}}";
        assertThat(check(schema, "{list: [{v: a}, {v: 1}, {w: x}]}"))
                .containsExactly("list[1].v: expected string, got integer 1", "list[2].w: unknown field");
    }
}
