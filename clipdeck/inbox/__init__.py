"""The activity inbox: notifications of likes, comments, follows, remixes, orders and decisions."""
