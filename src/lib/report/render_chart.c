/* A report's charts as inline SVG for the HTML page: grouped bars with the difference of
 * the second series from the first labelled, lines (one of them optionally a target, or
 * drawn over columns), waterfalls with each step's value, and histograms of counts. Each
 * chart carries a title, a description and a sentence saying what it shows (its text
 * alternative, also printed under it); render_html.c adds its figures as a table.
 *
 * Pixel positions are drawing coordinates, not money: the values stay integers (pence, or
 * KPI values in fixed point) and become a position on the axis only here, with doubles. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "doc_internal.h"
#include "s75/kpi.h"
#include "s75/money.h"
#include "xalloc.h"

enum { W = 680, H = 300, ML = 78, MR = 16, MT = 34, MB = 58 };

/* Dark enough for 4.5:1 against white (WCAG AA), told apart by shade too. */
static const char *const palette[] = {"#1f4e79", "#c55a11", "#375623", "#7030a0", "#7f6000",
				      "#404040"};
static const char *const adverse_colour = "#9c0006";

typedef struct axis {
	int64_t lo, hi; /* the values at the bottom and the top */
	bool broken;    /* the axis starts above zero (marked, and said in the text) */
} axis;

static double ypos(const axis *a, int64_t v)
{
	double span = (double)(a->hi - a->lo);
	return MT + (double)(H - MT - MB) * (1.0 - (double)(v - a->lo) / (span > 0 ? span : 1.0));
}

/* A round step for about five gridlines: 1, 2 or 5 times a power of ten (of the smallest
 * unit: a penny, or a ten-thousandth of a KPI value). */
static int64_t nice_step(int64_t span, int64_t smallest)
{
	int64_t step = smallest;
	while (step < INT64_MAX / 10) {
		if (span / step <= 5)
			return step;
		if (span / (step * 2) <= 5)
			return step * 2;
		if (span / (step * 5) <= 5)
			return step * 5;
		step *= 10;
	}
	return step;
}

/* `a` / `scale` with as few decimals as it needs (at most three). */
static void scaled(s75_buf *out, int64_t a, int64_t scale)
{
	int64_t whole = a / scale, frac = a % scale;
	s75_buf_printf(out, "%lld", (long long)whole);
	if (frac && scale >= 1000) {
		int64_t thou = (frac * 1000 + scale / 2) / scale; /* three decimals, rounded */
		int dec = 3;
		while (dec > 0 && thou % 10 == 0) {
			thou /= 10;
			dec--;
		}
		if (dec)
			s75_buf_printf(out, ".%0*lld", dec, (long long)thou);
	}
}

/* A gridline's label: £20m, £2.5m, £500k, £40; a KPI value with its suffix; a count. */
static void axis_label(s75_buf *out, const s75_chart *c, int64_t v)
{
	if (c->kind == S75_CHART_HISTOGRAM) {
		s75_buf_printf(out, "%lld", (long long)v);
		return;
	}
	if (c->values == S75_CHART_FIXED4) {
		s75_kpi_value_format(out, v, true);
		s75_buf_puts(out, c->suffix ? c->suffix : "");
		return;
	}
	int64_t a = v < 0 ? -v : v;
	s75_buf_puts(out, v < 0 ? "-£" : "£");
	if (a >= 100000000) {
		scaled(out, a, 100000000);
		s75_buf_putc(out, 'm');
	} else if (a >= 100000) {
		scaled(out, a, 100000);
		s75_buf_putc(out, 'k');
	} else {
		scaled(out, a, 100);
	}
}

/* A figure on the chart: £85.0m, £850k, £61,866 (rounded, brackets for negatives, + when
 * `sign`); a KPI value in full with its suffix. */
static void value_label(s75_buf *out, const s75_chart *c, int64_t v, bool sign)
{
	if (c->values == S75_CHART_FIXED4) {
		if (sign && v > 0)
			s75_buf_putc(out, '+');
		s75_kpi_value_format(out, v, true);
		s75_buf_puts(out, c->suffix && strcmp(c->suffix, "%") == 0 && sign ? " pp"
				  : c->suffix                                     ? c->suffix
										  : "");
		return;
	}
	int64_t a = v < 0 ? -v : v;
	s75_buf_puts(out, v < 0 ? "(£" : sign && v > 0 ? "+£" : "£");
	if (a >= 100000000) /* £m to one decimal, half up */
		s75_buf_printf(out, "%lld.%lldm", (long long)((a + 5000000) / 100000000),
			       (long long)((a + 5000000) / 10000000 % 10));
	else if (a >= 10000000) /* £100k and more: whole £k */
		s75_buf_printf(out, "%lldk", (long long)((a + 50000) / 100000));
	else /* below: whole pounds, so that a small pool's steps are not lost */
		s75_money_format(out, a, S75_UNIT_POUNDS, S75_FMT_SEP | S75_FMT_WHOLE);
	if (v < 0)
		s75_buf_putc(out, ')');
}

/* The waterfall's running total after each bar (the first and last bars are totals). */
static int64_t *waterfall_run(const s75_chart *c)
{
	const chart_series *s = &c->series[0];
	int64_t *run = xcalloc(s->n + 1, sizeof(int64_t)), acc = 0;
	for (size_t i = 0; i < s->n; i++) {
		bool total = i == 0 || i + 1 == s->n;
		acc = total ? s->v[i] : acc + s->v[i];
		run[i] = acc;
	}
	return run;
}

/* The axis: from zero (or below) to the largest value, with room above for the labels; a
 * waterfall or a line chart whose values all lie far above zero starts above zero, so that
 * the steps show (bars of a plain bar chart always start at zero). */
static void axis_range(axis *a, const s75_chart *c, const int64_t *run)
{
	bool any = false;
	int64_t mn = 0, mx = 0;
	for (size_t s = 0; s < c->nseries; s++)
		for (size_t i = 0; i < c->series[s].n; i++) {
			int64_t v = run && s == 0 ? run[i] : c->series[s].v[i];
			if (!any || v < mn)
				mn = v;
			if (!any || v > mx)
				mx = v;
			any = true;
		}
	bool may_break = c->kind == S75_CHART_WATERFALL ||
			 (c->kind == S75_CHART_LINES && !(c->flags & S75_CHART_LINE_OVER_COLUMNS));
	int64_t spread = mx - mn;
	a->broken = false;
	a->lo = mn < 0 ? mn : 0;
	a->hi = mx > 0 ? mx : 0;
	if (may_break && any && mn > 0 && spread < mn / 2) {
		/* at least a twentieth of the largest value above and below the data */
		int64_t pad = spread > mx / 20 ? spread : mx / 20;
		a->lo = mn - pad > 0 ? mn - pad : 0;
		a->broken = a->lo > 0;
	}
	bool labels = c->kind == S75_CHART_WATERFALL || (c->flags & S75_CHART_LABEL_DIFF) ||
		      (c->flags & S75_CHART_LAST_IS_TARGET);
	if (labels && a->hi > a->lo)
		a->hi += (a->hi - a->lo) / 8; /* room for the labels over the bars */
}

static void draw_axis(s75_buf *out, axis *a, const s75_chart *c)
{
	bool counts = c->kind == S75_CHART_HISTOGRAM;
	int64_t step = counts ? 1 : c->values == S75_CHART_FIXED4 ? 1 : 100;
	int64_t span = a->hi - a->lo > 0 ? a->hi - a->lo : step;
	if (counts) /* 1, 2 or 5 times a power of ten */
		while (span / step > 5)
			step = span / (step * 2) <= 5 ? step * 2 : span / (step * 5) <= 5 ? step * 5 : step * 10;
	else
		step = nice_step(span, step);
	/* round the ends out to whole steps */
	a->lo = a->lo < 0 ? -((-a->lo + step - 1) / step) * step : (a->lo / step) * step;
	a->hi = a->hi > 0 ? ((a->hi + step - 1) / step) * step : 0;
	if (a->hi <= a->lo)
		a->hi = a->lo + step;
	a->broken = a->lo > 0;
	for (int64_t v = a->lo; v <= a->hi; v += step) {
		double y = ypos(a, v);
		bool base = v == 0 || (a->broken && v == a->lo);
		s75_buf_printf(out, "<line x1=\"%d\" y1=\"%.1f\" x2=\"%d\" y2=\"%.1f\" stroke=\"%s\" stroke-width=\"%s\"/>",
			       ML, y, W - MR, y, base ? "#333" : "#d0d0d0", base ? "1" : "0.6");
		s75_buf_printf(out, "<text x=\"%d\" y=\"%.1f\" font-size=\"10\" text-anchor=\"end\" fill=\"#333\">", ML - 4, y + 3.5);
		axis_label(out, c, v);
		s75_buf_puts(out, "</text>");
		if (v > INT64_MAX - step)
			break;
	}
	if (a->broken) /* a break in the axis: it does not start at zero */
		s75_buf_printf(out, "<path d=\"M%d %d l6 -4 l6 8 l6 -4\" fill=\"none\" stroke=\"#333\" stroke-width=\"1.2\"/>",
			       ML - 9, H - MB + 8);
}

static void legend(s75_buf *out, const s75_chart *c)
{
	double x = ML;
	for (size_t s = 0; s < c->nseries && c->kind != S75_CHART_WATERFALL; s++) {
		bool target = (c->flags & S75_CHART_LAST_IS_TARGET) && s + 1 == c->nseries;
		if (target)
			s75_buf_printf(out, "<line x1=\"%.1f\" y1=\"15\" x2=\"%.1f\" y2=\"15\" stroke=\"%s\" stroke-width=\"2\" stroke-dasharray=\"5 3\"/>",
				       x, x + 12, palette[s % 6]);
		else
			s75_buf_printf(out, "<rect x=\"%.1f\" y=\"10\" width=\"10\" height=\"10\" fill=\"%s\"/>", x, palette[s % 6]);
		s75_buf_printf(out, "<text x=\"%.1f\" y=\"19\" font-size=\"10\" fill=\"#111\">", x + 16);
		doc_html_esc(out, c->series[s].name);
		s75_buf_puts(out, "</text>");
		x += 26 + 6.0 * (double)strlen(c->series[s].name);
	}
}

/* Each category's label under its slot, level and wrapped on words into at most three
 * lines (the last cut with an ellipsis) when the slot is wide enough, else turned. */
static void category_labels(s75_buf *out, const s75_chart *c, double slot)
{
	size_t per_line = (size_t)(slot / 5.2);
	bool level = per_line >= 6;
	for (size_t i = 0; i < c->ncats; i++) {
		double x = ML + slot * ((double)i + 0.5);
		const char *w = c->cats[i];
		if (!level) {
			s75_buf_printf(out, "<text x=\"%.1f\" y=\"%d\" font-size=\"9\" text-anchor=\"end\" fill=\"#111\" transform=\"rotate(-30 %.1f %d)\">",
				       x, H - MB + 14, x, H - MB + 14);
			doc_html_esc(out, w);
			s75_buf_puts(out, "</text>");
			continue;
		}
		s75_buf_printf(out, "<text x=\"%.1f\" y=\"%d\" font-size=\"9\" text-anchor=\"middle\" fill=\"#111\">", x, H - MB + 13);
		size_t len = strlen(w);
		for (int line = 0; line < 3 && len; line++) {
			size_t take = len;
			if (take > per_line) { /* the last space that fits, else a hard cut */
				take = per_line;
				while (take > 0 && w[take] != ' ')
					take--;
				if (take == 0)
					take = per_line;
			}
			while (take < len && take > 0 && ((unsigned char)w[take] & 0xC0) == 0x80)
				take--; /* not inside a UTF-8 character */
			bool cut = line == 2 && take < len;
			s75_buf lbl = S75_BUF_INIT;
			s75_buf_printf(&lbl, "%.*s%s", (int)take, w, cut ? "…" : "");
			s75_buf_printf(out, "<tspan x=\"%.1f\" dy=\"%d\">", x, line ? 11 : 0);
			doc_html_esc(out, lbl.ptr);
			s75_buf_puts(out, "</tspan>");
			s75_buf_release(&lbl);
			w += take;
			len -= take;
			while (*w == ' ') {
				w++;
				len--;
			}
		}
		s75_buf_puts(out, "</text>");
	}
}

/* A label anchored at (x, y) (middle, start or end), red and bold when adverse. */
static void label_anchor(s75_buf *out, double x, double y, const char *anchor, const char *text,
			 bool adverse)
{
	s75_buf_printf(out, "<text x=\"%.1f\" y=\"%.1f\" font-size=\"9.5\" text-anchor=\"%s\" fill=\"%s\"%s>",
		       x, y, anchor, adverse ? adverse_colour : "#222", adverse ? " font-weight=\"bold\"" : "");
	doc_html_esc(out, text);
	s75_buf_puts(out, "</text>");
}

static void label_at(s75_buf *out, double x, double y, const char *text, bool adverse)
{
	label_anchor(out, x, y, "middle", text, adverse);
}

static void draw_bars(s75_buf *out, const s75_chart *c, const axis *a, double slot,
		      size_t from, double width)
{
	size_t nb = c->nseries > from ? c->nseries - from : 1;
	double bw = slot * width / (double)nb;
	int64_t base = a->lo > 0 ? a->lo : 0;
	for (size_t s = from; s < c->nseries; s++)
		for (size_t i = 0; i < c->series[s].n && i < c->ncats; i++) {
			double y0 = ypos(a, base), y1 = ypos(a, c->series[s].v[i]);
			double x = ML + slot * (double)i + slot * (1 - width) / 2 + bw * (double)(s - from);
			s75_buf_printf(out, "<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\" fill=\"%s\"/>",
				       x, y1 < y0 ? y1 : y0, bw > 1 ? bw - 1 : bw, y1 < y0 ? y0 - y1 : y1 - y0,
				       palette[s % 6]);
		}
	if (!(c->flags & S75_CHART_LABEL_DIFF) || c->nseries < 2 || c->kind != S75_CHART_BARS)
		return;
	for (size_t i = 0; i < c->series[0].n && i < c->series[1].n && i < c->ncats; i++) {
		int64_t v0 = c->series[0].v[i], v1 = c->series[1].v[i], d = v1 - v0;
		int64_t top = v0 > v1 ? v0 : v1;
		s75_buf t = S75_BUF_INIT;
		value_label(&t, c, d, true);
		label_at(out, ML + slot * ((double)i + 0.5), ypos(a, top > 0 ? top : 0) - 4, t.ptr, d > 0);
		s75_buf_release(&t);
	}
}

static void draw_lines(s75_buf *out, const s75_chart *c, const axis *a, double slot)
{
	bool columns = c->flags & S75_CHART_LINE_OVER_COLUMNS;
	if (columns)
		draw_bars(out, c, a, slot, 1, 0.6);
	for (size_t s = 0; s < (columns ? 1 : c->nseries); s++) {
		const chart_series *x = &c->series[s];
		bool target = (c->flags & S75_CHART_LAST_IS_TARGET) && s + 1 == c->nseries;
		s75_buf_printf(out, "<polyline fill=\"none\" stroke=\"%s\" stroke-width=\"2\"%s points=\"",
			       palette[s % 6], target || (!columns && s % 2) ? " stroke-dasharray=\"6 3\"" : "");
		for (size_t i = 0; i < x->n && i < c->ncats; i++)
			s75_buf_printf(out, "%s%.1f,%.1f", i ? " " : "", ML + slot * ((double)i + 0.5),
				       ypos(a, x->v[i]));
		s75_buf_puts(out, "\"/>");
		if (target && x->n) { /* labelled at its right end */
			s75_buf t = S75_BUF_INIT;
			s75_buf_puts(&t, "Target ");
			value_label(&t, c, x->v[x->n - 1], false);
			s75_buf_printf(out, "<text x=\"%d\" y=\"%.1f\" font-size=\"9.5\" text-anchor=\"end\" fill=\"%s\">",
				       W - MR - 2, ypos(a, x->v[x->n - 1]) - 5, palette[s % 6]);
			doc_html_esc(out, t.ptr);
			s75_buf_puts(out, "</text>");
			s75_buf_release(&t);
			continue;
		}
		/* a marker at each point, a circle or a square by series, so that a line
		 * drawn over another still shows */
		for (size_t i = 0; i < x->n && i < c->ncats; i++) {
			double px = ML + slot * ((double)i + 0.5), py = ypos(a, x->v[i]);
			if (s % 2)
				s75_buf_printf(out, "<rect x=\"%.1f\" y=\"%.1f\" width=\"7\" height=\"7\" fill=\"#fff\" stroke=\"%s\" stroke-width=\"1.5\"/>",
					       px - 3.5, py - 3.5, palette[s % 6]);
			else
				s75_buf_printf(out, "<circle cx=\"%.1f\" cy=\"%.1f\" r=\"3\" fill=\"%s\"/>", px, py,
					       palette[s % 6]);
		}
		/* a KPI's values are few: each is labelled */
		if (c->values == S75_CHART_FIXED4)
			for (size_t i = 0; i < x->n && i < c->ncats; i++) {
				s75_buf t = S75_BUF_INIT;
				value_label(&t, c, x->v[i], false);
				label_at(out, ML + slot * ((double)i + 0.5), ypos(a, x->v[i]) - 7, t.ptr, false);
				s75_buf_release(&t);
			}
	}
	if ((c->flags & S75_CHART_LABEL_DIFF) && c->nseries >= 2) {
		size_t n = c->series[0].n < c->series[1].n ? c->series[0].n : c->series[1].n;
		if (n && n <= c->ncats) {
			int64_t v0 = c->series[0].v[n - 1], v1 = c->series[1].v[n - 1], d = v1 - v0;
			s75_buf t = S75_BUF_INIT;
			value_label(&t, c, d, true);
			s75_buf_printf(&t, " against %s", c->series[0].name);
			/* beside the latest point, on the side with room */
			double x = ML + slot * ((double)n - 0.5);
			bool right = x < W / 2;
			label_anchor(out, right ? x + 8 : x - 8, ypos(a, v1) + (right ? 4 : -8),
				     right ? "start" : "end", t.ptr, d > 0);
			s75_buf_release(&t);
		}
	}
}

static void draw_waterfall(s75_buf *out, const s75_chart *c, const axis *a, double slot,
			   const int64_t *run)
{
	const chart_series *s = &c->series[0];
	int64_t base = a->lo > 0 ? a->lo : 0;
	for (size_t i = 0; i < s->n && i < c->ncats; i++) {
		bool total = i == 0 || i + 1 == s->n;
		int64_t from = total ? base : run[i - 1], to = run[i];
		double y0 = ypos(a, from), y1 = ypos(a, to);
		const char *fill = total ? palette[0] : to >= from ? palette[1] : palette[2];
		double x = ML + slot * (double)i + slot * 0.2;
		s75_buf_printf(out, "<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\" fill=\"%s\"/>",
			       x, y1 < y0 ? y1 : y0, slot * 0.6, (y1 < y0 ? y0 - y1 : y1 - y0) + 0.5, fill);
		if (i + 1 < s->n) /* a connector to the next bar */
			s75_buf_printf(out, "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" stroke=\"#666\" stroke-width=\"0.8\" stroke-dasharray=\"3 2\"/>",
				       x + slot * 0.6, y1, x + slot, y1);
		s75_buf t = S75_BUF_INIT;
		value_label(&t, c, s->v[i], !total);
		int64_t top = total ? to : (from > to ? from : to);
		label_at(out, ML + slot * ((double)i + 0.5), ypos(a, top) - 4, t.ptr, !total && s->v[i] > 0);
		s75_buf_release(&t);
	}
}

void doc_chart_summary(s75_buf *out, const s75_chart *c)
{
	s75_buf v = S75_BUF_INIT;
#define VAL(x, sign) (s75_buf_reset(&v), value_label(&v, c, (x), (sign)), v.ptr)
	if (c->kind == S75_CHART_HISTOGRAM || !c->nseries) {
		s75_buf_release(&v);
		return;
	}
	if (c->kind == S75_CHART_WATERFALL) {
		const chart_series *s = &c->series[0];
		for (size_t i = 0; i < s->n && i < c->ncats; i++) {
			bool total = i == 0 || i + 1 == s->n;
			s75_buf_printf(out, "%s%s %s", i ? (i + 1 == s->n ? "; so " : "; ") : "", c->cats[i],
				       VAL(s->v[i], !total));
		}
		s75_buf_puts(out, ".");
	} else if (c->kind == S75_CHART_BARS && (c->flags & S75_CHART_LABEL_DIFF) && c->nseries >= 2) {
		const chart_series *s0 = &c->series[0], *s1 = &c->series[1];
		s75_buf_printf(out, "%s against %s: ", s1->name, s0->name);
		for (size_t i = 0; i < s0->n && i < s1->n && i < c->ncats; i++) {
			int64_t d = s1->v[i] - s0->v[i];
			s75_buf_printf(out, "%s%s %s", i ? "; " : "", c->cats[i], VAL(s1->v[i], false));
			s75_buf_printf(out, " against %s, ", VAL(s0->v[i], false));
			s75_buf_printf(out, "%s %s", d > 0 ? "over by" : d < 0 ? "under by" : "the same",
				       d ? VAL(d < 0 ? -d : d, false) : "");
			if (!d)
				out->ptr[--out->len] = '\0';
		}
		s75_buf_puts(out, ".");
	} else if (c->kind == S75_CHART_LINES && (c->flags & S75_CHART_LABEL_DIFF) && c->nseries >= 2) {
		const chart_series *s0 = &c->series[0], *s1 = &c->series[1];
		size_t n = s0->n < s1->n ? s0->n : s1->n;
		if (n && n <= c->ncats) {
			int64_t d = s1->v[n - 1] - s0->v[n - 1];
			s75_buf_printf(out, "At %s: %s %s", c->cats[n - 1], s1->name, VAL(s1->v[n - 1], false));
			s75_buf_printf(out, " against %s %s, ", s0->name, VAL(s0->v[n - 1], false));
			s75_buf_printf(out, "%s %s", d > 0 ? "over by" : d < 0 ? "under by" : "the same", VAL(d < 0 ? -d : d, false));
			if (s0->n > n && s0->n <= c->ncats)
				s75_buf_printf(out, "; %s at %s %s", s0->name, c->cats[s0->n - 1],
					       VAL(s0->v[s0->n - 1], false));
			s75_buf_puts(out, ".");
		}
	} else {
		/* each series from its first value to its latest */
		for (size_t s = 0; s < c->nseries; s++) {
			const chart_series *x = &c->series[s];
			if (!x->n || x->n > c->ncats)
				continue;
			if ((c->flags & S75_CHART_LAST_IS_TARGET) && s + 1 == c->nseries) {
				s75_buf_printf(out, "%starget %s", out->len ? "; " : "", VAL(x->v[x->n - 1], false));
				continue;
			}
			/* every point when there are few, else the first and the latest */
			s75_buf_printf(out, "%s%s: %s %s", out->len ? "; " : "", x->name, c->cats[0], VAL(x->v[0], false));
			for (size_t i = x->n <= 6 ? 1 : x->n - 1; i < x->n; i++)
				s75_buf_printf(out, ", %s %s", c->cats[i], VAL(x->v[i], false));
		}
		if (out->len)
			s75_buf_puts(out, ".");
	}
#undef VAL
	s75_buf_release(&v);
}

void doc_chart_svg(s75_buf *out, const s75_chart *c, size_t id)
{
	axis a = {0, 0, false};
	size_t n = c->ncats;
	double slot = n ? (double)(W - ML - MR) / (double)n : 1;
	int64_t *run = c->kind == S75_CHART_WATERFALL && c->nseries ? waterfall_run(c) : NULL;
	s75_buf summary = S75_BUF_INIT, axis_note = S75_BUF_INIT;

	axis_range(&a, c, run);
	doc_chart_summary(&summary, c);
	s75_buf_printf(out, "<figure><svg role=\"img\" aria-labelledby=\"c%zu-t c%zu-d\" viewBox=\"0 0 %d %d\" width=\"100%%\" preserveAspectRatio=\"xMidYMid meet\">", id, id, W, H);
	s75_buf_printf(out, "<title id=\"c%zu-t\">", id);
	doc_html_esc(out, c->title);
	s75_buf_printf(out, "</title><rect x=\"0\" y=\"0\" width=\"%d\" height=\"%d\" fill=\"#fff\"/>", W, H);
	draw_axis(out, &a, c);
	if (a.broken) {
		s75_buf_puts(&axis_note, " The axis starts at ");
		axis_label(&axis_note, c, a.lo);
		s75_buf_puts(&axis_note, ", not at zero.");
	}
	s75_buf_printf(out, "<desc id=\"c%zu-d\">", id);
	doc_html_esc(out, c->desc);
	if (summary.len) {
		s75_buf_putc(out, ' ');
		doc_html_esc(out, summary.ptr);
	}
	doc_html_esc(out, axis_note.len ? axis_note.ptr : "");
	s75_buf_puts(out, "</desc>");
	legend(out, c);
	if (c->kind == S75_CHART_BARS || c->kind == S75_CHART_HISTOGRAM)
		draw_bars(out, c, &a, slot, 0, 0.8);
	else if (c->kind == S75_CHART_LINES)
		draw_lines(out, c, &a, slot);
	else if (run)
		draw_waterfall(out, c, &a, slot, run);
	category_labels(out, c, slot);
	s75_buf_puts(out, "</svg><figcaption>");
	doc_html_esc(out, c->title);
	s75_buf_puts(out, "</figcaption>");
	if (summary.len || axis_note.len) { /* the text alternative, on the page and in print */
		s75_buf_puts(out, "<p class=\"chart-alt\">");
		doc_html_esc(out, summary.ptr ? summary.ptr : "");
		doc_html_esc(out, axis_note.len ? axis_note.ptr : "");
		s75_buf_puts(out, "</p>");
	}
	s75_buf_puts(out, "</figure>\n");
	s75_buf_release(&summary);
	s75_buf_release(&axis_note);
	free(run);
}
