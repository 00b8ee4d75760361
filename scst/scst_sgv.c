// SPDX-License-Identifier: GPL-2.0-only
/*
 * scst_sgv.c - a cache of data buffers (scatter-gather lists with pages)
 *
 * Allocating and freeing the pages of every command's buffer costs more
 * than the rest of the fast path.  Freed buffers are kept instead, in size
 * classes of a power of two pages (one page up to the largest transfer), and
 * handed out again; a buffer is presented with exactly the length a command
 * needs by shortening its last used entry, and restored when it comes back.
 *
 * Buffers are not zeroed on reuse: what a command sends back is bounded by
 * the length its handler or the core filled (resp_len), never the buffer.
 * The cache is bounded (SCST_SGV_CLASS_BYTES per class, so at most a few
 * tens of MiB in all) and emptied when scst.ko is unloaded.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/kernel.h>
#include <linux/log2.h>
#include <linux/percpu.h>
#include <linux/scatterlist.h>
#include <linux/slab.h>

#include "scst_core.h"

/* Classes of 1, 2, 4 ... pages, up to SCST_MAX_DATA_LEN. */
#define SCST_SGV_CLASSES	(ilog2(SCST_MAX_DATA_LEN >> PAGE_SHIFT) + 1)
/* Memory each class may keep for reuse; larger buffers are not kept. */
#define SCST_SGV_CLASS_BYTES	(4U << 20)

/**
 * struct scst_sgv - one cached buffer
 * @entry:	on its class's free list while cached
 * @sg:		one page per entry, @pages entries
 * @pages:	pages in the buffer (the class size)
 * @used:	entries the current user sees (the last one shortened)
 * @cls:	size class
 */
struct scst_sgv {
	struct list_head entry;
	struct scatterlist *sg;
	unsigned int pages;
	unsigned int used;
	u8 cls;
};

struct scst_sgv_class {
	spinlock_t lock;	/* protects @free and @count; irq-safe */
	struct list_head free;
	unsigned int count;
	unsigned int max;
};

static struct scst_sgv_class scst_sgv_classes[SCST_SGV_CLASSES];
static struct kmem_cache *scst_sgv_cache;
static DEFINE_PER_CPU(unsigned long, scst_sgv_hits);
static DEFINE_PER_CPU(unsigned long, scst_sgv_misses);

static void scst_sgv_free(struct scst_sgv *sgv)
{
	sgl_free_n_order(sgv->sg, sgv->pages, 0);
	kmem_cache_free(scst_sgv_cache, sgv);
}

static struct scst_sgv *scst_sgv_alloc(unsigned int cls, gfp_t gfp)
{
	struct scst_sgv *sgv;
	unsigned int nents;

	sgv = kmem_cache_alloc(scst_sgv_cache, gfp);
	if (!sgv)
		return NULL;
	sgv->sg = sgl_alloc((u64)PAGE_SIZE << cls, gfp, &nents);
	if (!sgv->sg) {
		kmem_cache_free(scst_sgv_cache, sgv);
		return NULL;
	}
	sgv->pages = nents;
	sgv->cls = cls;
	return sgv;
}

/**
 * scst_sgv_get() - a data buffer of @len bytes
 * @len: 1 .. %SCST_MAX_DATA_LEN
 * @gfp: allocation flags, if the cache has no buffer of the size
 * @sg: the buffer's scatterlist, @len bytes long in all
 * @nents: its number of entries
 *
 * Context: any, with @gfp to match.
 * Return: the buffer's handle for scst_sgv_put(), or NULL.
 */
struct scst_sgv *scst_sgv_get(u64 len, gfp_t gfp, struct scatterlist **sg,
			      unsigned int *nents)
{
	unsigned int pages = DIV_ROUND_UP(len, PAGE_SIZE);
	unsigned int cls = order_base_2(pages);
	struct scst_sgv_class *c;
	struct scst_sgv *sgv;
	unsigned long flags;
	struct scatterlist *last;

	if (!len || cls >= SCST_SGV_CLASSES)
		return NULL;
	c = &scst_sgv_classes[cls];
	spin_lock_irqsave(&c->lock, flags);
	sgv = list_first_entry_or_null(&c->free, struct scst_sgv, entry);
	if (sgv) {
		list_del(&sgv->entry);
		c->count--;
	}
	spin_unlock_irqrestore(&c->lock, flags);
	if (sgv) {
		this_cpu_inc(scst_sgv_hits);
	} else {
		this_cpu_inc(scst_sgv_misses);
		sgv = scst_sgv_alloc(cls, gfp & ~__GFP_ZERO);
		if (!sgv)
			return NULL;
	}
	sgv->used = pages;
	last = &sgv->sg[pages - 1];
	last->length = len - (u64)(pages - 1) * PAGE_SIZE;
	if (pages < sgv->pages) {
		sg_unmark_end(&sgv->sg[sgv->pages - 1]);
		sg_mark_end(last);
	}
	*sg = sgv->sg;
	*nents = pages;
	return sgv;
}

/**
 * scst_sgv_put() - give a buffer back
 * @sgv: from scst_sgv_get()
 *
 * Context: any.
 */
void scst_sgv_put(struct scst_sgv *sgv)
{
	struct scst_sgv_class *c = &scst_sgv_classes[sgv->cls];
	struct scatterlist *last = &sgv->sg[sgv->used - 1];
	unsigned long flags;
	bool keep;

	/* Restore the full buffer for the next user. */
	last->length = PAGE_SIZE;
	if (sgv->used < sgv->pages) {
		sg_unmark_end(last);
		sg_mark_end(&sgv->sg[sgv->pages - 1]);
	}
	spin_lock_irqsave(&c->lock, flags);
	keep = c->count < c->max;
	if (keep) {
		list_add(&sgv->entry, &c->free);
		c->count++;
	}
	spin_unlock_irqrestore(&c->lock, flags);
	if (!keep)
		scst_sgv_free(sgv);
}

/**
 * scst_sgv_stats() - cache hits and misses since load
 * @hits: buffers taken from the cache
 * @misses: buffers that had to be allocated
 *
 * Context: any; not an atomic snapshot.
 */
void scst_sgv_stats(unsigned long *hits, unsigned long *misses)
{
	int cpu;

	*hits = 0;
	*misses = 0;
	for_each_possible_cpu(cpu) {
		*hits += *per_cpu_ptr(&scst_sgv_hits, cpu);
		*misses += *per_cpu_ptr(&scst_sgv_misses, cpu);
	}
}

/**
 * scst_sgv_init() - set up the buffer cache
 *
 * Context: process, at module load.
 * Return: 0 or -ENOMEM.
 */
int scst_sgv_init(void)
{
	unsigned int i;

	scst_sgv_cache = KMEM_CACHE(scst_sgv, 0);
	if (!scst_sgv_cache)
		return -ENOMEM;
	for (i = 0; i < SCST_SGV_CLASSES; i++) {
		struct scst_sgv_class *c = &scst_sgv_classes[i];

		spin_lock_init(&c->lock);
		INIT_LIST_HEAD(&c->free);
		c->count = 0;
		c->max = SCST_SGV_CLASS_BYTES / (PAGE_SIZE << i);
	}
	return 0;
}

/**
 * scst_sgv_exit() - free every cached buffer; none may be in use
 *
 * Context: process, at module unload.
 */
void scst_sgv_exit(void)
{
	struct scst_sgv *sgv, *tmp;
	unsigned int i;

	for (i = 0; i < SCST_SGV_CLASSES; i++) {
		list_for_each_entry_safe(sgv, tmp, &scst_sgv_classes[i].free,
					 entry)
			scst_sgv_free(sgv);
		INIT_LIST_HEAD(&scst_sgv_classes[i].free);
	}
	kmem_cache_destroy(scst_sgv_cache);
}
