package io.tradetx.lab.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** The bench rewrites only its measured part of docs/benchmarks.md; the analysis stays prose in the doc. */
class BenchReportTest {
    private static final Path DOC = Path.of("..", "docs", "benchmarks.md");

    @Test
    void theDocHoldsOneMeasuredPartAndTheAnalysisAfterIt() throws Exception {
        String doc = Files.readString(DOC);
        assertThat(doc.indexOf(BenchReport.BEGIN)).isPositive().isEqualTo(doc.lastIndexOf(BenchReport.BEGIN));
        assertThat(doc.indexOf(BenchReport.END)).isGreaterThan(doc.indexOf(BenchReport.BEGIN))
                .isEqualTo(doc.lastIndexOf(BenchReport.END));
        String analysis = doc.substring(doc.indexOf(BenchReport.END));
        assertThat(analysis).contains("## What limits the figures", "### `consumer_vs_kafka_perf`", "## Notes",
                "## Codec: Jackson only");
    }

    @Test
    void mergeReplacesOnlyTheMeasuredPart() throws Exception {
        String doc = Files.readString(DOC);
        String measured = BenchReport.BEGIN + "\n\nnew figures\n\n" + BenchReport.END;
        String merged = BenchReport.merge(doc, measured);
        assertThat(merged).startsWith("# Benchmarks\n\n" + measured)
                .endsWith(doc.substring(doc.indexOf(BenchReport.END) + BenchReport.END.length()))
                .doesNotContain("| `consumer_vs_kafka_perf` |");
        assertThat(BenchReport.merge(merged, measured)).isEqualTo(merged);
    }

    @Test
    void aNewReportFilePointsToTheAnalysis() {
        String measured = BenchReport.BEGIN + "\n\nfigures\n\n" + BenchReport.END;
        assertThat(BenchReport.merge(null, measured)).startsWith("# Benchmarks\n\n" + measured)
                .contains("What the figures mean and what limits them: docs/benchmarks.md");
        assertThat(BenchReport.merge("someone else's file", measured)).doesNotContain("someone else's file");
    }
}
