#include "api/metrics.h"

#include <fmt/format.h>
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <thread>
#include <vector>

namespace jisr::metrics {
namespace {

using ::testing::HasSubstr;

TEST(MetricsEscapeTest, EscapesLabelValues) {
  EXPECT_EQ(EscapeLabelValue("plain"), "plain");
  EXPECT_EQ(EscapeLabelValue("a\\b"), "a\\\\b");
  EXPECT_EQ(EscapeLabelValue("say \"hi\""), "say \\\"hi\\\"");
  EXPECT_EQ(EscapeLabelValue("two\nlines"), "two\\nlines");
  EXPECT_EQ(EscapeLabelValue("\\\"\n"), "\\\\\\\"\\n");
  // Valid UTF-8 (French, Arabic) is kept; invalid bytes become U+FFFD.
  EXPECT_EQ(EscapeLabelValue("Sûreté"), "Sûreté");
  EXPECT_EQ(
      EscapeLabelValue("\xd8\xa7\xd9\x84\xd8\xb1\xd8\xa8\xd8\xa7\xd8\xb7"),
      "\xd8\xa7\xd9\x84\xd8\xb1\xd8\xa8\xd8\xa7\xd8\xb7");
  EXPECT_EQ(EscapeLabelValue("a\xff"
                             "b"),
            "a\xef\xbf\xbd"
            "b");
  EXPECT_EQ(EscapeLabelValue("\xc3"), "\xef\xbf\xbd");  // truncated sequence
  EXPECT_EQ(EscapeLabelValue("\xed\xa0\x80"),
            "\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd");  // surrogate
  EXPECT_EQ(EscapeLabelValue("\xc0\xaf"),
            "\xef\xbf\xbd\xef\xbf\xbd");  // overlong '/'
}

TEST(MetricsEscapeTest, HelpEscapesBackslashAndNewlineOnly) {
  EXPECT_EQ(EscapeHelp("a \"quoted\" \\ help\nline"),
            "a \"quoted\" \\\\ help\\nline");
}

TEST(MetricsFormatTest, FormatsValues) {
  EXPECT_EQ(FormatValue(0), "0");
  EXPECT_EQ(FormatValue(3), "3");
  EXPECT_EQ(FormatValue(-2), "-2");
  EXPECT_EQ(FormatValue(0.25), "0.25");
  EXPECT_EQ(FormatValue(0.0005), "0.0005");
  EXPECT_EQ(FormatValue(2.5), "2.5");
  EXPECT_EQ(FormatValue(std::numeric_limits<double>::infinity()), "+Inf");
  EXPECT_EQ(FormatValue(-std::numeric_limits<double>::infinity()), "-Inf");
  EXPECT_EQ(FormatValue(std::nan("")), "NaN");
}

TEST(MetricsTest, CounterFamilyRendersExactly) {
  Registry registry;
  absl::StatusOr<CounterFamily*> family =
      registry.AddCounter("jisr_test_events_total",
                          "Events seen.\nSecond \\ line.", {"kind", "who"});
  ASSERT_TRUE(family.ok()) << family.status();
  Counter* b = *(*family)->WithLabels({"b", "x"});
  Counter* a = *(*family)->WithLabels({"a\"q", "line\nbreak"});
  a->Increment();
  a->Increment(2);
  b->Add(0.5);
  b->Add(-1);                                        // ignored
  EXPECT_EQ(*(*family)->WithLabels({"b", "x"}), b);  // same child again
  EXPECT_DOUBLE_EQ(a->Value(), 3);
  EXPECT_DOUBLE_EQ(b->Value(), 0.5);
  EXPECT_EQ(registry.Render(),
            "# HELP jisr_test_events_total Events seen.\\nSecond \\\\ line.\n"
            "# TYPE jisr_test_events_total counter\n"
            "jisr_test_events_total{kind=\"a\\\"q\",who=\"line\\nbreak\"} 3\n"
            "jisr_test_events_total{kind=\"b\",who=\"x\"} 0.5\n");
}

TEST(MetricsTest, UnlabelledMetricsRenderZeroBeforeUse) {
  Registry registry;
  ASSERT_TRUE(registry.AddCounter("c_total", "C.").ok());
  absl::StatusOr<GaugeFamily*> g = registry.AddGauge("g", "G.");
  ASSERT_TRUE(g.ok());
  Gauge* gauge = *(*g)->WithLabels({});
  gauge->Set(5);
  gauge->Increment();
  gauge->Decrement();
  gauge->Add(-7.5);
  EXPECT_EQ(registry.Render(),
            "# HELP c_total C.\n# TYPE c_total counter\nc_total 0\n"
            "# HELP g G.\n# TYPE g gauge\ng -2.5\n");
}

TEST(MetricsTest, HistogramRendersBucketsSumAndCount) {
  Registry registry;
  absl::StatusOr<HistogramFamily*> family =
      registry.AddHistogram("req_seconds", "Latency.", {"route"}, {0.1, 1});
  ASSERT_TRUE(family.ok()) << family.status();
  Histogram* h = *(*family)->WithLabels({"r1"});
  h->Observe(0.05);
  h->Observe(0.1);  // le is inclusive
  h->Observe(0.5);
  h->Observe(5);
  h->Observe(std::nan(""));  // ignored
  EXPECT_EQ(registry.Render(),
            "# HELP req_seconds Latency.\n"
            "# TYPE req_seconds histogram\n"
            "req_seconds_bucket{route=\"r1\",le=\"0.1\"} 2\n"
            "req_seconds_bucket{route=\"r1\",le=\"1\"} 3\n"
            "req_seconds_bucket{route=\"r1\",le=\"+Inf\"} 4\n"
            "req_seconds_sum{route=\"r1\"} " +
                FormatValue(0.05 + 0.1 + 0.5 + 5.0) +
                "\n"
                "req_seconds_count{route=\"r1\"} 4\n");
  const Histogram::Snapshot snap = h->Collect();
  EXPECT_EQ(snap.count, 4u);
  EXPECT_EQ(snap.cumulative, (std::vector<uint64_t>{2, 3, 4}));
}

TEST(MetricsTest, DefaultBucketsAreTheLatencyBuckets) {
  Registry registry;
  absl::StatusOr<HistogramFamily*> family =
      registry.AddHistogram("d_seconds", "D.");
  ASSERT_TRUE(family.ok());
  EXPECT_EQ((*family)->buckets(), DefaultLatencyBuckets());
  EXPECT_EQ(DefaultLatencyBuckets().size(), 14u);
  const std::string text = registry.Render();
  EXPECT_THAT(text, HasSubstr("d_seconds_bucket{le=\"0.0005\"} 0\n"));
  EXPECT_THAT(text, HasSubstr("d_seconds_bucket{le=\"10\"} 0\n"));
  EXPECT_THAT(text, HasSubstr("d_seconds_bucket{le=\"+Inf\"} 0\n"));
  EXPECT_THAT(text, HasSubstr("d_seconds_count 0\n"));
}

TEST(MetricsTest, CallbackGauge) {
  Registry registry;
  double value = 4;
  ASSERT_TRUE(
      registry
          .AddGaugeCallback("queue_depth", "Depth.", [&value] { return value; })
          .ok());
  EXPECT_EQ(
      registry.Render(),
      "# HELP queue_depth Depth.\n# TYPE queue_depth gauge\nqueue_depth 4\n");
  value = 7;
  EXPECT_THAT(registry.Render(), HasSubstr("queue_depth 7\n"));
  EXPECT_EQ(
      registry.AddGaugeCallback("queue_depth", "Depth.", [] { return 1.0; })
          .code(),
      absl::StatusCode::kAlreadyExists);
  EXPECT_EQ(registry.AddGaugeCallback("other", "Other.", nullptr).code(),
            absl::StatusCode::kInvalidArgument);
}

TEST(MetricsTest, ValidatesNamesAndLabels) {
  Registry registry;
  EXPECT_EQ(registry.AddCounter("", "x").status().code(),
            absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(registry.AddCounter("1abc", "x").status().code(),
            absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(registry.AddCounter("a-b", "x").status().code(),
            absl::StatusCode::kInvalidArgument);
  EXPECT_TRUE(registry.AddCounter("ns:a_b1", "x").ok());
  EXPECT_EQ(registry.AddCounter("c", "x", {"bad-label"}).status().code(),
            absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(registry.AddCounter("c", "x", {"__reserved"}).status().code(),
            absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(registry.AddCounter("c", "x", {"a", "a"}).status().code(),
            absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(registry.AddHistogram("h", "x", {"le"}).status().code(),
            absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(registry.AddHistogram("h", "x", {}, {1, 1}).status().code(),
            absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(registry.AddHistogram("h", "x", {}, {2, 1}).status().code(),
            absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(registry
                .AddHistogram("h", "x", {},
                              {1, std::numeric_limits<double>::infinity()})
                .status()
                .code(),
            absl::StatusCode::kInvalidArgument);
  absl::StatusOr<CounterFamily*> c = registry.AddCounter("c", "x", {"a"});
  ASSERT_TRUE(c.ok());
  EXPECT_EQ((*c)->WithLabels({"1", "2"}).status().code(),
            absl::StatusCode::kInvalidArgument);
  EXPECT_EQ((*c)->WithLabels({}).status().code(),
            absl::StatusCode::kInvalidArgument);
}

TEST(MetricsTest, SameDefinitionReturnsTheSameFamilyOtherwiseConflict) {
  Registry registry;
  absl::StatusOr<CounterFamily*> first =
      registry.AddCounter("x_total", "X.", {"a"});
  absl::StatusOr<CounterFamily*> again =
      registry.AddCounter("x_total", "X.", {"a"});
  ASSERT_TRUE(first.ok());
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(*first, *again);
  EXPECT_EQ(registry.AddCounter("x_total", "X.", {"b"}).status().code(),
            absl::StatusCode::kAlreadyExists);
  EXPECT_EQ(
      registry.AddCounter("x_total", "Other help.", {"a"}).status().code(),
      absl::StatusCode::kAlreadyExists);
  EXPECT_EQ(registry.AddGauge("x_total", "X.", {"a"}).status().code(),
            absl::StatusCode::kAlreadyExists);
}

TEST(MetricsTest, ConcurrentUpdatesAndNewLabelSetsAreExact) {
  Registry registry;
  absl::StatusOr<CounterFamily*> family =
      registry.AddCounter("hits_total", "Hits.", {"k"});
  ASSERT_TRUE(family.ok());
  absl::StatusOr<HistogramFamily*> hist =
      registry.AddHistogram("lat", "L.", {"k"}, {1});
  ASSERT_TRUE(hist.ok());
  constexpr int kThreads = 4;
  constexpr int kPerThread = 20000;
  constexpr int kLabels = 100;  // forces the lookup table to grow while in use
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < kPerThread; ++i) {
        const std::string k = std::to_string((i + t) % kLabels);
        (*(*family)->WithLabels({k}))->Increment();
        (*(*hist)->WithLabels({k}))->Observe(0.5);
      }
    });
  }
  for (auto& th : threads) th.join();
  double total = 0;
  uint64_t observed = 0;
  for (int k = 0; k < kLabels; ++k) {
    total += (*(*family)->WithLabels({std::to_string(k)}))->Value();
    observed += (*(*hist)->WithLabels({std::to_string(k)}))->Collect().count;
  }
  EXPECT_EQ(total, kThreads * kPerThread);
  EXPECT_EQ(observed, static_cast<uint64_t>(kThreads * kPerThread));
  EXPECT_THAT(registry.Render(),
              HasSubstr(fmt::format("hits_total{{k=\"0\"}} {}\n",
                                    kThreads * kPerThread / kLabels)));
}

}  // namespace
}  // namespace jisr::metrics
