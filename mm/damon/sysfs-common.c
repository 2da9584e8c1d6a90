// SPDX-License-Identifier: GPL-2.0
/*
 * DAMON sysfs interface: the pieces every directory is made of.
 *
 * The lock of the whole tree; parsing and showing of numbers; plain
 * directories whose files show the values of another object; and numbered
 * directories (kdamonds/, contexts/, targets/, regions/, ...), whose
 * nr_<children> file creates and removes the children "0" to "N-1".
 */

#include <linux/kstrtox.h>
#include <linux/slab.h>
#include <linux/string.h>

#include "sysfs-common.h"

/* Protects the values and the lists of the whole tree; see sysfs-common.h. */
DEFINE_MUTEX(damon_sysfs_lock);

static ssize_t damon_sysfs_attr_show(struct kobject *kobj,
				     struct attribute *attr, char *buf)
{
	struct kobj_attribute *kattr =
		container_of(attr, struct kobj_attribute, attr);

	return kattr->show ? kattr->show(kobj, kattr, buf) : -EIO;
}

static ssize_t damon_sysfs_attr_store(struct kobject *kobj,
				      struct attribute *attr, const char *buf,
				      size_t count)
{
	struct kobj_attribute *kattr =
		container_of(attr, struct kobj_attribute, attr);

	if (count > DAMON_SYSFS_MAX_INPUT)
		return -E2BIG;
	return kattr->store ? kattr->store(kobj, kattr, buf, count) : -EIO;
}

/*
 * The sysfs_ops of every directory: those of &struct kobj_attribute files,
 * refusing values longer than DAMON_SYSFS_MAX_INPUT bytes in one place.
 */
const struct sysfs_ops damon_sysfs_ops = {
	.show = damon_sysfs_attr_show,
	.store = damon_sysfs_attr_store,
};

/**
 * damon_sysfs_parse_ulong() - Parse the number written to a file.
 * @buf:	What was written: a number in C notation (decimal, or
 *		hexadecimal with 0x, or octal with a leading 0), followed by
 *		at most one newline.
 * @min:	The smallest number accepted.
 * @max:	The largest number accepted.
 * @val:	Where to store the number.
 *
 * Return: 0; -EINVAL if @buf is not a number (a negative number is not);
 * or -ERANGE if the number is outside [@min, @max] or does not fit.
 */
int damon_sysfs_parse_ulong(const char *buf, unsigned long min,
			    unsigned long max, unsigned long *val)
{
	unsigned long v;
	int err;

	err = kstrtoul(buf, 0, &v);
	if (err)
		return err;
	if (v < min || v > max)
		return -ERANGE;
	*val = v;
	return 0;
}

/**
 * damon_sysfs_parse_bool() - Parse a yes or a no written to a file.
 * @buf:	What was written: one of y, yes, 1, on, true, n, no, 0, off or
 *		false, in any case, followed by at most one newline.
 * @val:	Where to store the answer.
 *
 * kstrtobool() reads only the first one or two characters, so it would take
 * "1abc" or "Y" and a page of junk; the files take whole words, as they do
 * everywhere else, and the spellings kstrtobool() users write all work.
 *
 * Return: 0, or -EINVAL for anything else.
 */
int damon_sysfs_parse_bool(const char *buf, bool *val)
{
	static const struct {
		const char *word;
		bool val;
	} words[] = {
		{ "y", true }, { "yes", true }, { "1", true }, { "on", true },
		{ "true", true }, { "n", false }, { "no", false },
		{ "0", false }, { "off", false }, { "false", false },
	};
	size_t len = strlen(buf);
	unsigned int i;

	if (len && buf[len - 1] == '\n')
		len--;
	for (i = 0; i < ARRAY_SIZE(words); i++) {
		if (len == strlen(words[i].word) &&
		    !strncasecmp(buf, words[i].word, len)) {
			*val = words[i].val;
			return 0;
		}
	}
	return -EINVAL;
}

/**
 * damon_sysfs_show_ulong() - Show a number of the tree.
 * @buf:	The buffer of the show function.
 * @val:	The number, protected by damon_sysfs_lock.
 *
 * Return: the length of the text.
 */
ssize_t damon_sysfs_show_ulong(char *buf, const unsigned long *val)
{
	unsigned long v;

	mutex_lock(&damon_sysfs_lock);
	v = *val;
	mutex_unlock(&damon_sysfs_lock);
	return sysfs_emit(buf, "%lu\n", v);
}

/**
 * damon_sysfs_store_ulong() - Set a number of the tree.
 * @buf:	What was written.
 * @count:	Its length.
 * @val:	The number, protected by damon_sysfs_lock.
 * @min:	The smallest number accepted.
 * @max:	The largest number accepted.
 *
 * Return: @count, or the error of damon_sysfs_parse_ulong(), @val then
 * unchanged.
 */
ssize_t damon_sysfs_store_ulong(const char *buf, size_t count,
				unsigned long *val, unsigned long min,
				unsigned long max)
{
	unsigned long v;
	int err;

	err = damon_sysfs_parse_ulong(buf, min, max, &v);
	if (err)
		return err;
	mutex_lock(&damon_sysfs_lock);
	*val = v;
	mutex_unlock(&damon_sysfs_lock);
	return count;
}

/**
 * damon_sysfs_kobj_add() - Add the kobject of a new directory.
 * @kobj:	The kobject, in a zeroed object that the release function of
 *		@ktype frees.
 * @ktype:	Its type.
 * @parent:	The parent directory.
 * @name:	Its name.
 *
 * Return: 0, or an error after which the object is freed.
 */
int damon_sysfs_kobj_add(struct kobject *kobj, const struct kobj_type *ktype,
			 struct kobject *parent, const char *name)
{
	int err = kobject_init_and_add(kobj, ktype, parent, "%s", name);

	if (err)
		kobject_put(kobj);
	return err;
}

/**
 * damon_sysfs_child_add() - Add the kobject of child @idx of a list.
 * @kobj:	As for damon_sysfs_kobj_add().
 * @ktype:	Its type.
 * @list:	The numbered directory.
 * @idx:	The child's index, which is its name.
 *
 * Return: 0, or an error after which the object is freed.
 */
int damon_sysfs_child_add(struct kobject *kobj, const struct kobj_type *ktype,
			  struct damon_sysfs_list *list, unsigned int idx)
{
	char name[12];

	snprintf(name, sizeof(name), "%u", idx);
	return damon_sysfs_kobj_add(kobj, ktype, &list->kobj, name);
}

/**
 * damon_sysfs_kobj_del() - Remove the kobject of a directory.
 * @kobj:	The kobject.
 *
 * Waits until the reads and writes of its files in progress end, so must
 * not be called with damon_sysfs_lock held; then drops the reference that
 * damon_sysfs_kobj_add() gave, which frees the directory once its
 * subdirectories are gone too.
 */
void damon_sysfs_kobj_del(struct kobject *kobj)
{
	kobject_del(kobj);
	kobject_put(kobj);
}

/* Plain directories */

/**
 * damon_sysfs_dir_release() - The release function of plain directories.
 * @kobj:	The kobject of a &struct damon_sysfs_dir.
 */
void damon_sysfs_dir_release(struct kobject *kobj)
{
	kfree(container_of(kobj, struct damon_sysfs_dir, kobj));
}

/* The type of plain directories without files of their own. */
const struct kobj_type damon_sysfs_empty_ktype = {
	.release = damon_sysfs_dir_release,
	.sysfs_ops = &damon_sysfs_ops,
};

/**
 * damon_sysfs_dir_add() - Add a plain directory.
 * @parent:	The parent directory.
 * @name:	The name of the new one.
 * @ktype:	Its files; its release function is damon_sysfs_dir_release().
 * @owner:	What its files show, for damon_sysfs_owner().
 *
 * Return: the directory, or an ERR_PTR().
 */
struct damon_sysfs_dir *damon_sysfs_dir_add(struct kobject *parent,
					    const char *name,
					    const struct kobj_type *ktype,
					    void *owner)
{
	struct damon_sysfs_dir *dir = kzalloc(sizeof(*dir), GFP_KERNEL);
	int err;

	if (!dir)
		return ERR_PTR(-ENOMEM);
	dir->owner = owner;
	err = damon_sysfs_kobj_add(&dir->kobj, ktype, parent, name);
	return err ? ERR_PTR(err) : dir;
}

/**
 * damon_sysfs_dir_del() - Remove a plain directory.
 * @dir:	The directory, or NULL.
 *
 * Must not be called with damon_sysfs_lock held: see damon_sysfs_kobj_del().
 */
void damon_sysfs_dir_del(struct damon_sysfs_dir *dir)
{
	if (dir)
		damon_sysfs_kobj_del(&dir->kobj);
}

/* Numbered directories */

/**
 * damon_sysfs_list_release() - The release function of numbered directories.
 * @kobj:	The kobject of a &struct damon_sysfs_list.
 */
void damon_sysfs_list_release(struct kobject *kobj)
{
	struct damon_sysfs_list *list =
		container_of(kobj, struct damon_sysfs_list, kobj);

	kfree(list->children);
	kfree(list);
}

/**
 * damon_sysfs_list_add() - Add a numbered directory, with no children.
 * @parent:	The parent directory.
 * @name:	The name of the new one.
 * @type:	Its kind.
 * @owner:	The object it belongs to, for the functions of @type.
 *
 * Return: the directory, or an ERR_PTR().
 */
struct damon_sysfs_list *
damon_sysfs_list_add(struct kobject *parent, const char *name,
		     const struct damon_sysfs_list_type *type, void *owner)
{
	struct damon_sysfs_list *list = kzalloc(sizeof(*list), GFP_KERNEL);
	int err;

	if (!list)
		return ERR_PTR(-ENOMEM);
	list->type = type;
	list->owner = owner;
	err = damon_sysfs_kobj_add(&list->kobj, &type->ktype, parent, name);
	return err ? ERR_PTR(err) : list;
}

/**
 * damon_sysfs_list_kill() - Mark a numbered directory and its children dead.
 * @list:	The directory, or NULL.
 *
 * Called with damon_sysfs_lock held, when @list leaves the tree.  From then
 * on its number of children cannot change, which lets damon_sysfs_list_del()
 * walk them without the lock.
 */
void damon_sysfs_list_kill(struct damon_sysfs_list *list)
{
	unsigned int i;

	if (!list)
		return;
	lockdep_assert_held(&damon_sysfs_lock);
	list->dead = true;
	if (!list->type->kill_child)
		return;
	for (i = 0; i < list->nr; i++)
		list->type->kill_child(list->children[i]);
}

/**
 * damon_sysfs_list_del() - Remove a numbered directory and its children.
 * @list:	The directory, dead or never shown to anyone, or NULL.
 *
 * Must not be called with damon_sysfs_lock held: see damon_sysfs_kobj_del().
 */
void damon_sysfs_list_del(struct damon_sysfs_list *list)
{
	unsigned int i;

	if (!list)
		return;
	for (i = 0; i < list->nr; i++)
		list->type->del_child(list->children[i]);
	list->nr = 0;
	damon_sysfs_kobj_del(&list->kobj);
}

/**
 * damon_sysfs_nr_show() - Show the number of children of a directory.
 * @kobj:	The kobject of a &struct damon_sysfs_list.
 * @attr:	Its nr_<children> file.
 * @buf:	The buffer to fill.
 *
 * Return: the length of the text.
 */
ssize_t damon_sysfs_nr_show(struct kobject *kobj, struct kobj_attribute *attr,
			    char *buf)
{
	struct damon_sysfs_list *list =
		container_of(kobj, struct damon_sysfs_list, kobj);
	unsigned int nr;

	mutex_lock(&damon_sysfs_lock);
	nr = list->nr;
	mutex_unlock(&damon_sysfs_lock);
	return sysfs_emit(buf, "%u\n", nr);
}

/*
 * Grow @list to @nr children.  If one cannot be made, the ones made so far
 * are killed and moved to @gone, for the caller to remove.
 */
static int damon_sysfs_list_grow(struct damon_sysfs_list *list,
				 unsigned int nr, struct kobject **gone,
				 unsigned int *nr_gone)
{
	const struct damon_sysfs_list_type *type = list->type;
	struct kobject **children;
	unsigned int i;
	int err = 0;

	children = krealloc_array(list->children, nr, sizeof(*children),
				  GFP_KERNEL);
	if (!children)
		return -ENOMEM;
	list->children = children;
	for (i = list->nr; i < nr; i++) {
		children[i] = NULL;
		err = type->add_child(list, i, &children[i]);
		if (err)
			break;
	}
	if (!err) {
		list->nr = nr;
		return 0;
	}
	/* Child @i may exist in part; those before it are complete. */
	for (i = min(i + 1, nr); i-- > list->nr;) {
		if (!children[i])
			continue;
		if (type->kill_child)
			type->kill_child(children[i]);
		gone[(*nr_gone)++] = children[i];
	}
	return err;
}

/* Shrink @list to @nr children, killing the others and moving them to @gone. */
static void damon_sysfs_list_shrink(struct damon_sysfs_list *list,
				    unsigned int nr, struct kobject **gone,
				    unsigned int *nr_gone)
{
	const struct damon_sysfs_list_type *type = list->type;

	while (list->nr > nr) {
		struct kobject *child = list->children[--list->nr];

		if (type->kill_child)
			type->kill_child(child);
		gone[(*nr_gone)++] = child;
	}
}

/**
 * damon_sysfs_nr_store() - Set the number of children of a directory.
 * @kobj:	The kobject of a &struct damon_sysfs_list.
 * @attr:	Its nr_<children> file.
 * @buf:	What was written: the new number.
 * @count:	Its length.
 *
 * Children are added or removed at the end.  On any error, the directory
 * keeps the children it had.
 *
 * Return: @count; -EINVAL or -ERANGE for a bad number; -ENODEV if the
 * directory was removed meanwhile; -ENOMEM; or the error of the type's
 * may_resize function (-EBUSY while a kdamond that needs the children runs).
 */
ssize_t damon_sysfs_nr_store(struct kobject *kobj,
			     struct kobj_attribute *attr, const char *buf,
			     size_t count)
{
	struct damon_sysfs_list *list =
		container_of(kobj, struct damon_sysfs_list, kobj);
	const struct damon_sysfs_list_type *type = list->type;
	struct kobject **gone = NULL;
	unsigned int i, nr_gone = 0;
	unsigned long nr;
	int err;

	err = damon_sysfs_parse_ulong(buf, 0, type->max, &nr);
	if (err)
		return err;

	mutex_lock(type->resize_lock);
	mutex_lock(&damon_sysfs_lock);
	if (list->dead) {
		err = -ENODEV;
		goto unlock;
	}
	if (type->may_resize) {
		err = type->may_resize(list, nr);
		if (err)
			goto unlock;
	}
	if (nr == list->nr)
		goto unlock;
	/* Room for the children to remove, or for the new ones on failure. */
	gone = kmalloc_array(nr > list->nr ? nr - list->nr : list->nr - nr,
			     sizeof(*gone), GFP_KERNEL);
	if (!gone) {
		err = -ENOMEM;
		goto unlock;
	}
	if (nr > list->nr)
		err = damon_sysfs_list_grow(list, nr, gone, &nr_gone);
	else
		damon_sysfs_list_shrink(list, nr, gone, &nr_gone);
unlock:
	mutex_unlock(&damon_sysfs_lock);
	/* Removing the kobjects waits for users of their files: unlocked. */
	for (i = 0; i < nr_gone; i++)
		type->del_child(gone[i]);
	kfree(gone);
	mutex_unlock(type->resize_lock);
	return err ? err : count;
}
