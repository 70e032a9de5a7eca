// nearest_names: the did-you-mean every layer and the CLI share.
#include "core/suggest.hpp"

#include <catch2/catch.hpp>

#include <string>
#include <vector>

using edict::core::damerau_levenshtein;
using edict::core::nearest_names;
using Names = std::vector<std::string>;

TEST_CASE("damerau_levenshtein counts a swap of adjacent characters as one edit") {
  CHECK(damerau_levenshtein("", "") == 0);
  CHECK(damerau_levenshtein("abc", "") == 3);
  CHECK(damerau_levenshtein("", "abc") == 3);
  CHECK(damerau_levenshtein("product", "prodcut") == 1);
  CHECK(damerau_levenshtein("kitten", "sitting") == 3);
  CHECK(damerau_levenshtein("ca", "abc") == 3);  // optimal string alignment: no edit of a swapped pair
}

TEST_CASE("nearest_names finds a misspelt fact path, nearest first") {
  const Names facts{"product.tpp", "product.performance_density", "destination.country", "end_user.name"};
  CHECK(nearest_names("prodcut.tpp", facts) == Names{"product.tpp"});
  CHECK(nearest_names("destination.contry", facts) == Names{"destination.country"});
  CHECK(nearest_names("Product.TPP", facts) == Names{"product.tpp"});  // case folded, but not equal bytes
  CHECK(nearest_names("shipment.weight", facts).empty());
}

TEST_CASE("nearest_names matches the last segment of a path") {
  const Names facts{"product.tpp", "product.eccn", "destination.country"};
  CHECK(nearest_names("product.tpp_total", facts) == Names{"product.tpp"});
  CHECK(nearest_names("item.tpp", facts) == Names{"product.tpp"});
  CHECK(nearest_names("tpp", facts) == Names{"product.tpp"});
  CHECK(nearest_names("country", facts) == Names{"destination.country"});
  // plain names never match by segment: `tpp_total` is no path
  CHECK(nearest_names("tpp_total", Names{"tpp"}).empty());
}

TEST_CASE("nearest_names is bounded, deterministic and never returns the word itself") {
  const Names names{"abd", "abc", "abe", "abf", "abc"};
  CHECK(nearest_names("abx", names) == Names{"abc", "abd", "abe"});  // ties by name, duplicates once
  CHECK(nearest_names("abx", names, 1) == Names{"abc"});
  CHECK(nearest_names("abx", names, 0).empty());
  CHECK(nearest_names("abc", Names{"abc"}).empty());
  CHECK(nearest_names("x", Names{"xyz"}).empty());  // short words: at most one edit
  CHECK(nearest_names("--stet", Names{"--set", "--facts", "--as-of"}) == Names{"--set"});
  CHECK(nearest_names("anything", Names{}).empty());
}

TEST_CASE("nearest_members finds a member by its code or its display name") {
  using edict::core::nearest_members;
  using Indexes = std::vector<std::size_t>;
  const Names codes{"CN", "DE", "US", "UM"};
  const Names displays{"China", "Germany", "United States", "United States Minor Outlying Islands"};
  CHECK(nearest_members("China", codes, displays) == Indexes{0});
  CHECK(nearest_members("united states", codes, displays) == Indexes{2});
  CHECK(nearest_members("Germny", codes, displays) == Indexes{1});
  CHECK(nearest_members("cn", codes, displays, 1) == Indexes{0});
  CHECK(nearest_members("Atlantis", codes, displays).empty());
  CHECK(nearest_members("ic", Names{"ic", "hbm"}, Names{}).empty());  // the code itself is no suggestion
}

TEST_CASE("did_you_mean lists the names, with notes") {
  using edict::core::did_you_mean;
  CHECK(did_you_mean(Names{}).empty());
  CHECK(did_you_mean(Names{"a"}) == "did you mean `a`?");
  CHECK(did_you_mean(Names{"a", "b"}) == "did you mean `a` or `b`?");
  CHECK(did_you_mean(Names{"a", "b", "c"}) == "did you mean `a`, `b` or `c`?");
  CHECK(did_you_mean(Names{"CN"}, Names{"China"}) == "did you mean `CN` (China)?");
}

TEST_CASE("did_you_mean_member names the code and its display name") {
  using edict::core::did_you_mean_member;
  const Names codes{"CN", "US"};
  const Names displays{"China", "United States"};
  CHECK(did_you_mean_member("China", codes, displays) == "did you mean `CN` (China)?");
  CHECK(did_you_mean_member("united states", codes, displays) == "did you mean `US` (United States)?");
  CHECK(did_you_mean_member("Mars", codes, displays).empty());
}
